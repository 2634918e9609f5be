package io.github.crosswordhelper.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A configuration error stops start-up with one clear line, not a stack trace. */
class StartupErrorTest {

    @Test
    void should_stop_with_one_line_for_a_bad_remote_url() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName());
        pb.environment().keySet().removeIf(k -> k.startsWith("CROSSWORD_"));
        pb.environment().put("CROSSWORD_REMOTE_URL", "not a url");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.exitValue()).isEqualTo(2);
        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("crossword-helper: configuration error: CROSSWORD_REMOTE_URL=not a url (environment)");
    }
}
