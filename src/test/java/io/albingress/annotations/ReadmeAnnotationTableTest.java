package io.albingress.annotations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README's annotation table and the catalogue say the same thing: every key the table lists is
 * applied and says so in its "applied" column, and every applied key of the catalogue has a row.
 */
class ReadmeAnnotationTableTest {
  private static final Pattern KEY = Pattern.compile("`([a-z0-9.<>A-Z-]+)`");

  record Row(List<String> keys, String applied) {}

  private static List<Row> rows() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    String section = readme.substring(readme.indexOf("## Annotation reference"), readme.indexOf("### Routing as the reference"));
    List<Row> rows = new ArrayList<>();
    for (String line : section.split("\n")) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.split("\\|");
      List<String> keys = new ArrayList<>();
      Matcher m = KEY.matcher(cells[1]);
      while (m.find()) {
        keys.add(m.group(1));
      }
      rows.add(new Row(keys, cells[cells.length - 1].trim()));
    }
    return rows;
  }

  /** {@code actions.<name>} is the family {@code actions.}; a member stands for it. */
  private static String catalogued(String key) {
    int family = key.indexOf('<');
    return family < 0 ? key : key.substring(0, family) + "x";
  }

  @Test
  void everyListedKeyIsAppliedAndSaysSo() throws Exception {
    List<Row> rows = rows();
    assertThat(rows).hasSizeGreaterThan(40);
    for (Row row : rows) {
      assertThat(row.applied()).as("applied column of %s", row.keys()).isEqualTo("yes");
      for (String key : row.keys()) {
        assertThat(AnnotationCatalog.support(catalogued(key))).as(key).contains(AnnotationCatalog.Support.APPLIED);
      }
    }
  }

  @Test
  void everyAppliedKeyHasARow() throws Exception {
    Set<String> listed = new HashSet<>();
    rows().forEach(r -> r.keys().forEach(k -> listed.add(k.contains("<") ? k.substring(0, k.indexOf('<')) : k)));
    for (Map.Entry<String, AnnotationCatalog.Support> e : AnnotationCatalog.supportTable().entrySet()) {
      if (e.getValue() == AnnotationCatalog.Support.APPLIED) {
        String key = AnnotationCatalog.FAMILIES.contains(e.getKey() + ".") ? e.getKey() + "." : e.getKey();
        assertThat(listed).as("README row for the applied key " + e.getKey()).contains(key);
      }
    }
  }
}
