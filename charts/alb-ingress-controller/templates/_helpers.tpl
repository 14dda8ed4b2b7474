{{/* The chart's name. */}}
{{- define "alb.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Names of the release's objects: the release name when it holds the chart's name. */}}
{{- define "alb.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels of every object; the selector labels are the ones kustomize's deploy/ uses. */}}
{{- define "alb.labels" -}}
{{ include "alb.selectorLabels" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "alb.selectorLabels" -}}
app.kubernetes.io/name: {{ include "alb.name" . }}
{{- end -}}

{{- define "alb.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "alb.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "alb.webhookService" -}}
{{- printf "%s-webhook" (include "alb.fullname" .) -}}
{{- end -}}

{{/* The Secret the serving certificate is read from. */}}
{{- define "alb.webhookSecret" -}}
{{- if eq .Values.webhook.certificate.source "secret" -}}
{{- required "webhook.certificate.secretName is required when webhook.certificate.source is secret" .Values.webhook.certificate.secretName -}}
{{- else -}}
{{- printf "%s-webhook-tls" (include "alb.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* How the API server trusts the webhook: cert-manager's CA injection, or the given bundle. */}}
{{- define "alb.webhookCaAnnotations" -}}
{{- if eq .Values.webhook.certificate.source "certManager" }}
  annotations:
    cert-manager.io/inject-ca-from: {{ .Release.Namespace }}/{{ include "alb.fullname" . }}-webhook
{{- end }}
{{- end -}}

{{- define "alb.webhookClientConfig" -}}
clientConfig:
  service:
    name: {{ include "alb.webhookService" .root }}
    namespace: {{ .root.Release.Namespace }}
    path: {{ .path }}
    port: 443
  {{- if eq .root.Values.webhook.certificate.source "secret" }}
  caBundle: {{ required "webhook.certificate.caBundle is required when webhook.certificate.source is secret" .root.Values.webhook.certificate.caBundle }}
  {{- end }}
{{- end -}}

{{/* Namespaces the webhooks never see: the release's own (it must recover without them) and the listed ones. */}}
{{- define "alb.webhookExcludedNamespaces" -}}
- key: kubernetes.io/metadata.name
  operator: NotIn
  values: {{ prepend .Values.webhook.excludeNamespaces .Release.Namespace | uniq | toJson }}
{{- end -}}

{{/* defaultTags as the k1=v1,k2=v2 of --default-tags, in key order. */}}
{{- define "alb.defaultTags" -}}
{{- $pairs := list -}}
{{- range $k, $v := .Values.defaultTags -}}
{{- $pairs = append $pairs (printf "%s=%v" $k $v) -}}
{{- end -}}
{{- join "," $pairs -}}
{{- end -}}
