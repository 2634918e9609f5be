import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.util.Map;

/**
 * Baseline for scripts/bench.sh: the smallest Javalin + Jackson service, started the same way as
 * crossword-helper (same JVM, same dependency classpath), to compare cold start and idle RSS.
 * usage: java -cp CLASSES:DEPS HelloWorld PORT
 */
public final class HelloWorld {
    public static void main(String[] args) {
        int port = Integer.parseInt(args.length > 0 ? args[0] : "8080");
        Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson());
            config.routes.get("/", ctx -> ctx.json(Map.of("hello", "world")));
        }).start("127.0.0.1", port);
    }
}
