package io.github.crosswordhelper.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.crosswordhelper.CrosswordHelper;
import io.github.crosswordhelper.http.HttpApi;
import io.javalin.Javalin;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in a real headless Chromium against the real server (thesaurus backend), plus one stub
 * server that demands an API key and sends a strict Content-Security-Policy. One browser for the class.
 */
class WebPageBrowserTest {
    private static final String CHROMEDRIVER = System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
    private static final String CHROMIUM = System.getProperty("crossword.chromium", "/usr/bin/chromium");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String STUB_KEY = "s3cret-key";

    private static CrosswordHelper helper;
    private static Javalin app;
    private static Javalin stub;
    private static final List<String> stubAuthorizations = new ArrayList<>();
    private static final AtomicInteger streamCalls = new AtomicInteger();
    private static Path profile;
    private static ChromeDriver driver;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        assertThat(new File(CHROMEDRIVER))
                .as("browser tests need Debian's Chromium and ChromeDriver (%s, %s): "
                        + "install them with `apt-get install chromium chromium-driver` (CI installs them)",
                        CHROMIUM, CHROMEDRIVER)
                .canRead();
        assertThat(new File(CHROMIUM))
                .as("browser tests need Debian's Chromium at %s: install it with "
                        + "`apt-get install chromium chromium-driver` (CI installs them)", CHROMIUM)
                .canRead();

        helper = CrosswordHelper.builder().build();
        app = HttpApi.create(helper).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port() + "/";

        profile = Files.createTempDirectory("crossword-chromium-");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1000,1300",
                "--user-data-dir=" + profile.toAbsolutePath());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));

        assertThat(helper.awaitReady(Duration.ofSeconds(60))).as("WordNet loaded").isTrue();
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            if (driver != null) driver.quit();
        } finally {
            if (stub != null) stub.stop();
            if (app != null) app.stop();
            if (helper != null) helper.close();
            if (profile != null) {
                try (Stream<Path> files = Files.walk(profile)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @BeforeEach
    void freshPage() {
        open(base);
    }

    // ------------------------------------------------------------------ tests

    @Test
    void should_list_the_backends_from_the_server() {
        waitUntil(() -> options("#backend").stream().anyMatch(o -> o.startsWith("thesaurus")));
        Select backend = new Select(byId("backend"));
        assertThat(backend.getFirstSelectedOption().getDomProperty("value")).isEqualTo("thesaurus");
        assertThat(label("backend")).isNotBlank();
    }

    @Test
    void should_stream_six_letter_shades_of_pink_starting_with_s() throws IOException {
        byId("clue").sendKeys("Shade of pink");
        byId("enumeration").sendKeys("6");
        List<WebElement> boxes = boxes();
        assertThat(boxes).hasSize(6);
        boxes.get(0).sendKeys("s");
        assertThat(boxes.get(0).getDomProperty("value")).isEqualTo("S");
        byId("submit").click();

        waitUntil(() -> byId("status").getText().startsWith("Found"));
        List<WebElement> items = driver.findElements(By.cssSelector("#suggestions > li"));
        assertThat(items).isNotEmpty().hasSizeLessThanOrEqualTo(5);
        for (WebElement item : items) {
            assertThat(item.getDomAttribute("data-answer")).matches("S[A-Z]{5}");
            List<WebElement> cells = item.findElements(By.cssSelector(".cell"));
            assertThat(cells).hasSize(6);
            assertThat(cells.get(0).getDomAttribute("class")).contains("known");
            assertThat(cells.get(1).getDomAttribute("class")).doesNotContain("known");
            assertThat(item.findElement(By.cssSelector(".display")).getText()).isNotBlank();
            assertThat(item.findElement(By.cssSelector(".score")).getText()).matches("score \\d\\.\\d\\d");
        }
        assertThat(attr("#suggestions", "role")).isEqualTo("list");
        assertThat(attr("#status", "aria-live")).isEqualTo("polite");
        assertThat(byId("error").isDisplayed()).isFalse();
        assertThat(byId("understood").getText()).contains("6 letters").contains("S?????");
        screenshot("suggestions");
        assertThat(severeConsoleErrors()).isEmpty();
    }

    @Test
    void should_submit_when_enter_is_pressed_in_the_clue() {
        byId("enumeration").sendKeys("5");
        byId("clue").sendKeys("Large body of water", Keys.ENTER);
        waitUntil(() -> byId("status").getText().startsWith("Found"));
        List<WebElement> items = driver.findElements(By.cssSelector("#suggestions > li"));
        assertThat(items).isNotEmpty();
        assertThat(items).allSatisfy(i -> assertThat(i.getDomAttribute("data-answer")).matches("[A-Z]{5}"));
    }

    @Test
    void should_show_the_problem_detail_of_a_bad_request() {
        byId("clue").sendKeys("Dog (7)");
        byId("enumeration").sendKeys("6");
        assertThat(boxes()).hasSize(6);
        byId("submit").click();
        waitUntil(() -> byId("error").isDisplayed());
        WebElement error = byId("error");
        assertThat(error.getDomAttribute("role")).isEqualTo("alert");
        assertThat(error.getText())
                .contains("Invalid request")
                .contains("pattern has 6 letters but the enumeration (7) needs 7");
        assertThat(driver.findElements(By.cssSelector("#suggestions > li"))).isEmpty();
    }

    @Test
    void should_build_letter_boxes_that_follow_the_enumeration_and_move_with_the_keyboard() {
        WebElement enumeration = byId("enumeration");
        enumeration.sendKeys("(4,5)");
        assertThat(boxes()).hasSize(9);
        assertThat(driver.findElements(By.cssSelector("#letters .word"))).hasSize(2);
        assertThat(boxes().get(0).getDomAttribute("aria-label")).isEqualTo("Letter 1 of 9");
        assertThat(boxes().get(8).getDomAttribute("aria-label")).isEqualTo("Letter 9 of 9");
        assertThat(boxes()).allSatisfy(b -> assertThat(b.getDomAttribute("maxlength")).isEqualTo("1"));

        boxes().get(0).click();
        driver.switchTo().activeElement().sendKeys("ma");
        assertThat(values()).startsWith("MA??");
        assertThat(activeIndex()).isEqualTo(2);
        driver.switchTo().activeElement().sendKeys(Keys.BACK_SPACE);
        assertThat(values()).startsWith("M???");
        assertThat(activeIndex()).isEqualTo(1);
        driver.switchTo().activeElement().sendKeys(Keys.ARROW_LEFT);
        assertThat(activeIndex()).isEqualTo(0);
        driver.switchTo().activeElement().sendKeys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, "d");
        assertThat(values()).isEqualTo("M???D????");
        assertThat(activeIndex()).isEqualTo(5);

        enumeration.clear();
        enumeration.sendKeys("4-4");
        assertThat(boxes()).hasSize(8);
        assertThat(values()).isEqualTo("M???D???");
        assertThat(driver.findElements(By.cssSelector("#letters .hyphen"))).hasSize(1);

        enumeration.clear();
        assertThat(boxes()).isEmpty();
        byId("clue").sendKeys("Hound (3)");
        assertThat(boxes()).hasSize(3);
    }

    @Test
    void should_fit_a_phone_screen_and_list_what_did_not_fit() throws IOException {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 360, "height", 760, "deviceScaleFactor", 1, "mobile", true));
        try {
            open(base);
            assertThat(((Number) js("return window.innerWidth")).intValue()).isEqualTo(360);
            byId("clue").sendKeys("Film star");
            byId("enumeration").sendKeys("4,5");
            byId("count").clear();
            byId("count").sendKeys("10");
            byId("submit").click();
            waitUntil(() -> byId("status").getText().startsWith("Found")
                    || byId("status").getText().startsWith("No answers"));

            WebElement rejected = byId("rejected");
            assertThat(rejected.getTagName()).isEqualTo("details");
            WebElement summary = rejected.findElement(By.tagName("summary"));
            assertThat(summary.getText()).matches("Didn't fit \\(\\d+\\)");
            int n = Integer.parseInt(summary.getText().replaceAll("\\D", ""));
            assertThat(n).isPositive();
            summary.click();
            List<WebElement> reasons = rejected.findElements(By.cssSelector("li"));
            assertThat(reasons).hasSize(n);
            assertThat(reasons.get(0).getText()).contains("need (4,5)");

            // Long multi-word answers and the full form must not make the page scroll sideways.
            long scrollWidth = ((Number) js("return document.documentElement.scrollWidth")).longValue();
            long clientWidth = ((Number) js("return document.documentElement.clientWidth")).longValue();
            assertThat(scrollWidth).as("no horizontal scroll at 360 px").isLessThanOrEqualTo(clientWidth);
            js("window.scrollTo(0, 0)");
            screenshot("phone");
        } finally {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    @Test
    void should_keep_recent_clues_that_refill_the_form() {
        byId("clue").sendKeys("Shade of pink");
        byId("enumeration").sendKeys("6");
        boxes().get(0).sendKeys("s");
        byId("submit").click();
        waitUntil(() -> byId("status").getText().startsWith("Found"));

        driver.navigate().refresh();
        waitUntil(() -> !driver.findElements(By.cssSelector("#history button")).isEmpty());
        WebElement item = driver.findElement(By.cssSelector("#history button"));
        assertThat(item.getText()).startsWith("Shade of pink (6)");
        item.sendKeys(Keys.ENTER); // a real button: keyboard works
        assertThat(byId("clue").getDomProperty("value")).isEqualTo("Shade of pink");
        assertThat(byId("enumeration").getDomProperty("value")).isEqualTo("6");
        assertThat(values()).isEqualTo("S?????");
        @SuppressWarnings("unchecked")
        List<Object> stored = (List<Object>) js(
                "return JSON.parse(localStorage.getItem('crossword-helper.history'))");
        assertThat(stored).hasSize(1);
    }

    @Test
    void should_ask_for_an_api_key_and_send_it_as_a_bearer_token_under_a_strict_csp() throws Exception {
        stub = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/public";
                files.location = io.javalin.http.staticfiles.Location.CLASSPATH;
            });
            config.routes.before(ctx -> ctx.header("Content-Security-Policy",
                    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"));
            config.routes.before("/api/*", ctx -> {
                String auth = ctx.header("Authorization");
                synchronized (stubAuthorizations) {
                    stubAuthorizations.add(String.valueOf(auth));
                }
                if (!("Bearer " + STUB_KEY).equals(auth)) {
                    ctx.status(401).contentType("application/problem+json").header("WWW-Authenticate", "Bearer")
                            .result("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
                                    + "\"detail\":\"missing or wrong API key\"}");
                    ctx.skipRemainingHandlers();
                }
            });
            config.routes.get("/api/v1/backends", ctx -> ctx.contentType("application/json").result(
                    "{\"default\":\"stub\",\"backends\":[{\"name\":\"stub\",\"kind\":\"thesaurus\",\"model\":\"Stub\","
                            + "\"ready\":true,\"default\":true},{\"name\":\"slow\",\"kind\":\"local\",\"model\":\"Big\","
                            + "\"ready\":false,\"default\":false}]}"));
            config.routes.post("/api/v1/clues/parse", ctx -> ctx.contentType("application/json").result(
                    "{\"text\":\"Cat\",\"enumeration\":[3],\"length\":3,\"pattern\":\"???\",\"count\":5,"
                            + "\"kind\":\"definition\",\"quoted\":[]}"));
            config.routes.get("/api/v1/suggestions/stream", ctx -> {
                if (streamCalls.getAndIncrement() == 0) { // still loading: the page waits and tries again
                    ctx.status(503).header("Retry-After", "1").contentType("application/problem+json")
                            .result("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
                                    + "\"detail\":\"the backend is still loading\"}");
                    return;
                }
                // CRLF line ends and a comment line: the page's parser must cope with any valid stream.
                ctx.contentType("text/event-stream").result(": hello\r\n\r\n"
                        + "event: suggestion\r\ndata: {\"answer\":\"TOM\",\"display\":\"tom\",\"score\":0.5,\"source\":\"stub\"}\r\n\r\n"
                        + "event: rejected\r\ndata: {\"answer\":\"KITTEN\",\"reason\":\"length 6, need 3\"}\r\n\r\n"
                        + "event: done\r\ndata: {\"suggestions\":[{\"answer\":\"TOM\",\"display\":\"tom\",\"score\":0.5,"
                        + "\"source\":\"stub\"}],\"rejected\":[],\"backend\":{\"name\":\"stub\",\"model\":\"Stub\"}}\r\n\r\n");
            });
        }).start("127.0.0.1", 0);
        String stubBase = "http://127.0.0.1:" + stub.port() + "/";
        HttpResponse<Void> head = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stubBase)).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'"));

        open(stubBase);
        waitUntil(() -> byId("key-dialog").isDisplayed());
        synchronized (stubAuthorizations) {
            stubAuthorizations.clear(); // only count the requests of the next load
        }
        driver.navigate().refresh();
        WebElement dialog = byId("key-dialog");
        waitUntil(dialog::isDisplayed);
        assertThat(byId("key-message").getText()).contains("asks for an API key");
        assertThat(driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("api-key");
        assertThat(label("api-key")).isEqualTo("API key");
        byId("api-key").sendKeys("wrong", Keys.ENTER);

        waitUntil(() -> byId("key-message").getText().contains("not accepted") && dialog.isDisplayed());
        byId("api-key").sendKeys(STUB_KEY, Keys.ENTER);

        waitUntil(() -> options("#backend").stream().anyMatch(o -> o.startsWith("stub")));
        assertThat(dialog.isDisplayed()).isFalse();
        assertThat(options("#backend")).anyMatch(o -> o.startsWith("slow") && o.endsWith("(loading)"));
        assertThat(js("return sessionStorage.getItem('crossword-helper.apiKey')")).isEqualTo(STUB_KEY);
        synchronized (stubAuthorizations) {
            assertThat(stubAuthorizations).startsWith("null", "Bearer wrong", "Bearer " + STUB_KEY);
        }

        // Every API call carries the key; a 503 with Retry-After is retried.
        byId("clue").sendKeys("Cat (3)", Keys.ENTER);
        waitUntil(() -> byId("status").getText().startsWith("Found 1 answer"));
        assertThat(driver.findElements(By.cssSelector("#suggestions > li")))
                .extracting(e -> e.getDomAttribute("data-answer")).containsExactly("TOM");
        assertThat(byId("rejected").getText()).contains("Didn't fit (1)");
        assertThat(streamCalls.get()).isEqualTo(2);
        synchronized (stubAuthorizations) {
            assertThat(stubAuthorizations.subList(2, stubAuthorizations.size())).containsOnly("Bearer " + STUB_KEY);
        }
        assertThat(severeConsoleErrors())
                .as("nothing blocked by the Content-Security-Policy")
                .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Refused"));
    }

    // ------------------------------------------------------------------ helpers

    /** Opens the page with empty local and session storage. */
    private static void open(String url) {
        driver.get(url);
        js("localStorage.clear(); sessionStorage.clear();");
        driver.navigate().refresh();
        driver.manage().logs().get(LogType.BROWSER); // drop what the first load logged
    }

    private static WebElement byId(String id) {
        return driver.findElement(By.id(id));
    }

    private static String attr(String css, String name) {
        return driver.findElement(By.cssSelector(css)).getDomAttribute(name);
    }

    private static String label(String id) {
        return driver.findElement(By.cssSelector("label[for='" + id + "']")).getText();
    }

    private static List<WebElement> boxes() {
        return driver.findElements(By.cssSelector("#letters input.box"));
    }

    private static String values() {
        return boxes().stream()
                .map(b -> b.getDomProperty("value"))
                .map(v -> v == null || v.isEmpty() ? "?" : v)
                .collect(Collectors.joining());
    }

    private static int activeIndex() {
        return Integer.parseInt(driver.switchTo().activeElement().getDomAttribute("data-index"));
    }

    private static List<String> options(String css) {
        return driver.findElements(By.cssSelector(css + " option")).stream()
                .map(WebElement::getText)
                .collect(Collectors.toList());
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(driver, Duration.ofSeconds(20), Duration.ofMillis(50))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .withMessage(() -> "page state: status=\"" + byId("status").getText() + "\" error=\""
                        + byId("error").getText() + "\" suggestions="
                        + driver.findElements(By.cssSelector("#suggestions > li")).size()
                        + " console=" + severeConsoleErrors())
                .until(d -> condition.getAsBoolean());
    }

    private static List<String> severeConsoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .collect(Collectors.toList());
    }

    private static void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
