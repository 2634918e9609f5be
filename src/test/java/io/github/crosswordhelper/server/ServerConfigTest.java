package io.github.crosswordhelper.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.crosswordhelper.backend.remote.RemoteProtocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path p = dir.resolve("crossword.yaml");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void should_use_defaults_with_nothing_set() {
        ServerConfig c = ServerConfig.load(List.of(), Map.of());
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.defaultBackend()).isEqualTo("thesaurus");
        assertThat(c.backends()).containsOnlyKeys("thesaurus");
        assertThat(c.cacheEnabled()).isTrue();
        assertThat(c.cacheTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void should_prefer_flags_over_env_over_file() throws IOException {
        Path file = yaml("port: 7001\ncache:\n  ttl: 1m\n  maxEntries: 50\n");
        ServerConfig fileOnly = ServerConfig.load(List.of("--config", file.toString()), Map.of());
        assertThat(fileOnly.port()).isEqualTo(7001);
        assertThat(fileOnly.cacheMaxEntries()).isEqualTo(50);
        ServerConfig env = ServerConfig.load(List.of("--config", file.toString()), Map.of("CROSSWORD_PORT", "7002"));
        assertThat(env.port()).isEqualTo(7002);
        assertThat(env.cacheTtl()).isEqualTo(Duration.ofMinutes(1));
        ServerConfig flag = ServerConfig.load(List.of("--config=" + file, "--port=7003", "--cache-ttl", "30s"),
                Map.of("CROSSWORD_PORT", "7002", "CROSSWORD_CONFIG", "/nonexistent"));
        assertThat(flag.port()).isEqualTo(7003);
        assertThat(flag.cacheTtl()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void should_define_one_remote_backend_from_env_alone_named_after_its_kind() {
        ServerConfig c = ServerConfig.load(List.of(), Map.of(
                "CROSSWORD_REMOTE_URL", "http://gpu.example:8080",
                "CROSSWORD_REMOTE_PROTOCOL", "spin",
                "CROSSWORD_REMOTE_API_KEY", "s3cret-key",
                "CROSSWORD_REMOTE_TIMEOUT", "45s",
                "CROSSWORD_BACKEND", "remote",
                "CROSSWORD_FALLBACK", "thesaurus"));
        assertThat(c.backends()).containsOnlyKeys("thesaurus", "remote");
        ServerConfig.RemoteSpec remote = (ServerConfig.RemoteSpec) c.backends().get("remote");
        assertThat(remote.config().protocol()).isEqualTo(RemoteProtocol.SPIN);
        assertThat(remote.config().timeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.defaultBackend()).isEqualTo("remote");
        assertThat(c.fallback()).containsExactly("thesaurus");
    }

    @Test
    void should_define_named_backends_in_the_file() throws IOException {
        Path file = yaml("""
                backend: remote-13b
                fallback: [thesaurus]
                backends:
                  remote-13b:
                    kind: remote
                    url: http://llama:8080
                    protocol: openai
                    model: llama-2-13b-chat
                    llamaGrammar: true
                  ollama-box:
                    kind: remote
                    url: http://ollama:11434
                    protocol: ollama
                    model: llama2:13b
                """);
        ServerConfig c = ServerConfig.load(List.of("--config", file.toString()), Map.of());
        assertThat(c.backends()).containsOnlyKeys("thesaurus", "remote-13b", "ollama-box");
        assertThat(c.defaultBackend()).isEqualTo("remote-13b");
        assertThat(((ServerConfig.RemoteSpec) c.backends().get("remote-13b")).config().llamaCppGrammar()).isTrue();
    }

    @Test
    void should_name_the_key_and_source_of_a_bad_url() {
        assertThatThrownBy(() -> ServerConfig.load(List.of(), Map.of("CROSSWORD_REMOTE_URL", "not a url")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("CROSSWORD_REMOTE_URL=not a url (environment)");
    }

    @Test
    void should_reject_unknown_keys_from_every_source() throws IOException {
        assertThatThrownBy(() -> ServerConfig.load(List.of(), Map.of("CROSSWORD_PROT", "1")))
                .hasMessageStartingWith("CROSSWORD_PROT (environment) is not a known setting");
        Path file = yaml("prot: 1\n");
        assertThatThrownBy(() -> ServerConfig.load(List.of("--config", file.toString()), Map.of()))
                .hasMessageStartingWith("prot (file " + file + "): not a known setting");
        assertThatThrownBy(() -> ServerConfig.load(List.of("--prot=1"), Map.of()))
                .hasMessageStartingWith("--prot (command line) is not a known setting");
        Path bad = yaml("backends:\n  x:\n    kind: remote\n    urll: http://a\n");
        assertThatThrownBy(() -> ServerConfig.load(List.of("--config", bad.toString()), Map.of()))
                .hasMessageContaining("backends.x.urll");
    }

    @Test
    void should_reject_impossible_values_naming_the_source() {
        assertThatThrownBy(() -> ServerConfig.load(List.of("--port=70000"), Map.of()))
                .hasMessage("--port (command line): 70000 is outside 0..65535");
        assertThatThrownBy(() -> ServerConfig.load(List.of(), Map.of("CROSSWORD_CACHE_TTL", "soon")))
                .hasMessageContaining("CROSSWORD_CACHE_TTL=soon (environment)");
        assertThatThrownBy(() -> ServerConfig.load(List.of(), Map.of("CROSSWORD_BACKEND", "local")))
                .hasMessageContaining("no backend named 'local'");
        assertThatThrownBy(() -> ServerConfig.load(List.of(), Map.of("CROSSWORD_FALLBACK", "gpu")))
                .hasMessageContaining("no backend named 'gpu'");
    }

    @Test
    void should_load_the_example_file_shipped_in_the_repository() {
        ServerConfig c = ServerConfig.load(List.of("--config", "crossword.example.yaml"), Map.of());
        assertThat(c.defaultBackend()).isEqualTo("thesaurus");
        assertThat(c.wasmOptions().callTimeout()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void should_never_show_api_keys() {
        Map<String, String> env = Map.of(
                "CROSSWORD_REMOTE_URL", "http://gpu.example:8080",
                "CROSSWORD_REMOTE_PROTOCOL", "openai",
                "CROSSWORD_REMOTE_MODEL", "m",
                "CROSSWORD_REMOTE_API_KEY", "remote-secret-123",
                "CROSSWORD_API_KEY", "own-secret-456");
        ServerConfig c = ServerConfig.load(List.of(), env);
        assertThat(c.toString()).doesNotContain("remote-secret-123").doesNotContain("own-secret-456").contains("****");
        assertThatThrownBy(() -> ServerConfig.load(List.of(), Map.of("CROSSWORD_API_KEY", "has space")))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("has space").contains("CROSSWORD_API_KEY"));
    }
}
