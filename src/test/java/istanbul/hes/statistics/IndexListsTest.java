package istanbul.hes.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import istanbul.hes.testing.TestEnvironment;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The binary form of an integer[] PostgreSQL sends is read back exactly, from PostgreSQL itself. */
class IndexListsTest {
  private static List<Integer> read(String hex) {
    List<Integer> indexes = new ArrayList<>();
    IndexLists.forEach(HexFormat.of().parseHex(hex), indexes::add);
    return indexes;
  }

  @Test
  void whatPostgresSendsIsReadExactly() {
    try (TestEnvironment environment = new TestEnvironment()) {
      String some = environment.column("SELECT encode(array_send(ARRAY[0, 1, 65535, 65536, 34260086, 2147483647]::integer[]), 'hex')").get(0);
      assertThat(read(some)).containsExactly(0, 1, 65535, 65536, 34260086, 2147483647);
      String none = environment.column("SELECT encode(array_send('{}'::integer[]), 'hex')").get(0);
      assertThat(read(none)).isEmpty();
      String twoDimensions = environment.column("SELECT encode(array_send(ARRAY[[1,2],[3,4]]::integer[]), 'hex')").get(0);
      assertThatThrownBy(() -> read(twoDimensions)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
