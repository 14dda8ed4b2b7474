# shellcheck shell=bash
# Starting, checking and stopping the test environment's processes. Sourced by hack/testenv.
#
# Each process is recorded in $TESTENV_PIDS/NAME.pid as "PID STARTTIME" (STARTTIME is field 22
# of /proc/PID/stat), so a recycled PID is never mistaken for ours and `down` kills only what
# `up` started.

# proc_starttime PID: prints the process's start time in clock ticks, or nothing.
proc_starttime() {
  [ -r "/proc/$1/stat" ] || return 0
  # Strip "pid (comm) " first: comm may hold spaces. Then field 20 is starttime.
  sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $20}'
}

# proc_state PID: prints the one-letter process state (R, S, Z, ...), or nothing.
proc_state() {
  [ -r "/proc/$1/stat" ] || return 0
  sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $1}'
}

# recorded_pid NAME: prints the recorded PID, or nothing.
recorded_pid() {
  local f="$TESTENV_PIDS/$1.pid" pid _st
  [ -f "$f" ] || return 0
  read -r pid _st <"$f" || true
  printf '%s' "${pid:-}"
}

# proc_alive NAME: true when the recorded process still runs (and is the one we started).
proc_alive() {
  local f="$TESTENV_PIDS/$1.pid" pid st state
  [ -f "$f" ] || return 1
  read -r pid st <"$f" || true
  [ -n "${pid:-}" ] || return 1
  if [ -d /proc ] && [ -r /proc/self/stat ]; then
    [ -r "/proc/$pid/stat" ] || return 1
    state="$(proc_state "$pid")"
    [ "$state" != "Z" ] && [ "$state" != "X" ] || return 1
    [ -z "${st:-}" ] || [ "$(proc_starttime "$pid")" = "$st" ] || return 1
  else
    kill -0 "$pid" 2>/dev/null || return 1
  fi
}

# start_proc NAME CMD...: starts CMD detached (own session, stdin from /dev/null, output to
# $TESTENV_LOGS/NAME.log) and records its PID.
start_proc() {
  local name="$1"; shift
  local pidfile="$TESTENV_PIDS/$name.pid" logfile="$TESTENV_LOGS/$name.log" pid
  mkdir -p "$TESTENV_PIDS" "$TESTENV_LOGS"
  rm -f "$pidfile" "$pidfile.tmp"
  : >"$logfile"
  # The inner shell writes its own PID, then execs CMD, so the PID recorded is CMD's.
  # shellcheck disable=SC2016  # $$ and $@ are for the inner shell
  if command -v setsid >/dev/null 2>&1; then
    setsid bash -c 'echo "$$" >"$0"; exec "$@"' "$pidfile.tmp" "$@" </dev/null >>"$logfile" 2>&1 &
  else
    # shellcheck disable=SC2016
    nohup bash -c 'echo "$$" >"$0"; exec "$@"' "$pidfile.tmp" "$@" </dev/null >>"$logfile" 2>&1 &
  fi
  for _ in $(seq 1 100); do
    [ -s "$pidfile.tmp" ] && break
    sleep 0.05
  done
  [ -s "$pidfile.tmp" ] || die "$name did not start (log: $logfile)"
  read -r pid <"$pidfile.tmp"
  # exec keeps the PID and the start time, so this is CMD's identity.
  printf '%s %s\n' "$pid" "$(proc_starttime "$pid")" >"$pidfile"
  rm -f "$pidfile.tmp"
}

# stop_proc NAME: TERM the recorded process, wait up to 10s, then KILL. Removes the pid file.
stop_proc() {
  local name="$1" pidfile="$TESTENV_PIDS/$1.pid" pid
  [ -f "$pidfile" ] || return 0
  pid="$(recorded_pid "$name")"
  if proc_alive "$name"; then
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      proc_alive "$name" || break
      sleep 0.1
    done
    if proc_alive "$name"; then
      log "$name (pid $pid) ignored TERM for 10s; sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do
        proc_alive "$name" || break
        sleep 0.1
      done
      ! proc_alive "$name" || log "warning: $name (pid $pid) is still alive"
    fi
  fi
  rm -f "$pidfile"
}

# log_tail NAME [LINES]: prints the end of a component's log to stderr.
log_tail() {
  local f="$TESTENV_LOGS/$1.log"
  [ -f "$f" ] || return 0
  printf -- '----- last %s lines of %s -----\n' "${2:-40}" "$f" >&2
  tail -n "${2:-40}" "$f" >&2
  printf -- '-----\n' >&2
}

# wait_http NAME TIMEOUT_S URL [CURL_ARGS...]: waits until URL answers 2xx while NAME lives.
wait_http() {
  local name="$1" timeout="$2" url="$3"; shift 3
  local deadline=$(($(now_s) + timeout)) t0
  t0="$(now_ms)"
  while :; do
    if curl -sf -o /dev/null --max-time 2 "$@" "$url" 2>/dev/null; then
      log "  $name ready after $(secs_since "$t0")s"
      return 0
    fi
    if ! proc_alive "$name"; then
      log "$name exited while starting"
      log_tail "$name"
      return 1
    fi
    if [ "$(now_s)" -ge "$deadline" ]; then
      log "$name did not answer $url within ${timeout}s"
      log_tail "$name"
      return 1
    fi
    sleep 0.2
  done
}
