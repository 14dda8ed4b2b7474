package io.albingress.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.bench.Bench;
import io.albingress.testing.TestEnvironment;
import io.albingress.testing.TestEnvironment.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Keeps the benchmark harness from rotting: `hack/bench all --smoke` (tiny sizes) runs every
 * benchmark end to end and produces numbers. It checks that they exist, not what they say: speed is
 * never asserted here.
 */
@ExtendWith(TestEnvironment.class)
class BenchSmokeIT {
  @Test
  void everyBenchmarkRunsAndProducesNumbers(Env env) throws Exception {
    Path out = env.repo().resolve("target/bench/RESULTS-smoke.md");
    var rows = Bench.run(env, "all", "--smoke", "--out", out.toString());

    for (String bench : List.of("1 webhook", "2 AWS calls per change", "3 scale", "4 restart", "5 memory and start-up", "6 change latency", "7 throttled scale", "8 target churn", "9 Gateway routes")) {
      assertThat(rows).as(bench).anySatisfy(r -> assertThat(r.benchmark()).isEqualTo(bench));
    }
    assertThat(rows).allSatisfy(r -> assertThat(r.value()).as(r.figure()).containsPattern("[0-9]").doesNotStartWith("failed"));
    assertThat(Files.readString(out)).contains("| benchmark | figure | value | goal | met |", "cores", "GiB memory");
  }
}
