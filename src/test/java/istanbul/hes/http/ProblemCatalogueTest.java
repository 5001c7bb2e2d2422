package istanbul.hes.http;

import static org.assertj.core.api.Assertions.assertThat;

import istanbul.hes.citizen.api.CitizenProblemMapping;
import istanbul.hes.citizen.domain.ValidationCode;
import istanbul.hes.citizen.store.CitizenRefused;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One catalogue of problem codes: no code is made up outside it, the API document lists exactly
 * its codes, and every domain outcome the HTTP layer maps has its code there.
 */
class ProblemCatalogueTest {
  private static final Pattern CATALOGUE_IN_DOCUMENT = Pattern.compile(
      "The stable code, from the gateway's one catalogue \\(status in brackets\\):\\n((?:\\s+[A-Z_ (),0-9]+\\n)+)");
  private static final Pattern ENTRY = Pattern.compile("([A-Z_]+) \\((\\d{3})\\)");

  @Test
  void theApiDocumentListsExactlyTheCatalogueWithItsStatuses() throws IOException {
    Matcher list = CATALOGUE_IN_DOCUMENT.matcher(Files.readString(Path.of("src/main/resources/openapi.yaml")));
    assertThat(list.find()).as("openapi.yaml's Problem.code lists the catalogue").isTrue();
    Set<String> documented = new TreeSet<>();
    Matcher entry = ENTRY.matcher(list.group(1));
    while (entry.find()) {
      documented.add(entry.group(1) + " " + entry.group(2));
    }
    Set<String> catalogue = Arrays.stream(ProblemCode.values()).map(code -> code.name() + " " + code.status())
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(documented).isEqualTo(catalogue);
  }

  @Test
  void noCodeIsMadeUpOutsideTheCatalogue() throws IOException {
    // A problem is built from a ProblemCode: a quoted upper-case code next to a status is a second catalogue.
    Pattern adHoc = Pattern.compile("(Problem\\.of|new Problem)\\(\\s*\\d{3}");
    try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
      assertThat(sources.filter(path -> path.toString().endsWith(".java")).filter(path -> {
        try {
          return adHoc.matcher(Files.readString(path)).find();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList()).isEmpty();
    }
  }

  @Test
  void everyInvalidCitizenValueAndEveryRefusalHasItsCode() {
    for (ValidationCode code : ValidationCode.values()) {
      assertThat(ProblemCode.valueOf(code.name()).status()).isEqualTo(400);
    }
    for (CitizenRefused.Reason reason : CitizenRefused.Reason.values()) {
      Problem problem = CitizenProblemMapping.problemOf(new CitizenRefused(reason, "detail"));
      assertThat(problem.code()).isEqualTo(reason.name());
      assertThat(problem.status()).isBetween(400, 499);
    }
  }
}
