package smptrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report of an archived trace in a real headless browser (Debian's chromium, installed with apt-get
 * when missing; the test is skipped, saying why, only where that cannot be done), driven over the Chrome
 * DevTools protocol with the JDK's own WebSocket client (no driver library): the page renders its lanes, root
 * causes and events, a click on a finding highlights that finding's events and draws its arrows, and the page
 * logs no console error and throws nothing. A screenshot is left in target/html-report.png.
 */
class HtmlReportBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The chromium binary, installing Debian's package when it is missing; null if that cannot be done. */
    static String chromium(StringBuilder why) throws Exception {
        for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        if (!Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            why.append("no chromium and no apt-get to install it");
            return null;
        }
        Process p = new ProcessBuilder("sh", "-c", "(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) 2>&1")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(15, TimeUnit.MINUTES);
        if (Files.isExecutable(Path.of("/usr/bin/chromium"))) {
            return "/usr/bin/chromium";
        }
        why.append("chromium is not installed and apt-get could not install it: ").append(out.lines().reduce((a, b) -> b).orElse(""));
        return null;
    }

    /** One DevTools session on a page target. */
    static final class Cdp implements WebSocket.Listener, AutoCloseable {
        private final WebSocket ws;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        final List<JsonNode> events = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();

        Cdp(String url) throws Exception {
            ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), this).get(20, TimeUnit.SECONDS);
        }

        JsonNode send(String method, Map<String, Object> params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> f = new CompletableFuture<>();
            pending.put(id, f);
            ObjectNode m = JSON.createObjectNode();
            m.put("id", id);
            m.put("method", method);
            m.set("params", JSON.valueToTree(params));
            ws.sendText(m.toString(), true).get(20, TimeUnit.SECONDS);
            JsonNode r = f.get(30, TimeUnit.SECONDS);
            if (r.has("error")) {
                throw new AssertionError(method + ": " + r.get("error"));
            }
            return r.get("result");
        }

        /** Evaluates a JavaScript expression in the page and returns its value. */
        JsonNode eval(String expr) throws Exception {
            JsonNode r = send("Runtime.evaluate", Map.of("expression", expr, "returnByValue", true));
            if (r.has("exceptionDetails")) {
                throw new AssertionError("page threw on " + expr + ": " + r.get("exceptionDetails"));
            }
            return r.get("result").get("value");
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode m = JSON.readTree(partial.toString());
                    if (m.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
                        if (f != null) {
                            f.complete(m);
                        }
                    } else {
                        events.add(m);
                    }
                } catch (Exception e) {
                    events.add(JSON.createObjectNode().put("method", "unparsable").put("text", e.toString()));
                }
                partial.setLength(0);
            }
            w.request(1);
            return null;
        }

        @Override
        public void close() {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS).exceptionally(t -> null).join();
        }
    }

    @Test
    void pageOfAnArchivedTraceRendersHighlightsAFindingsEventsOnClickAndLogsNoError(@TempDir Path tmp) throws Exception {
        StringBuilder why = new StringBuilder();
        String chromium = chromium(why);
        Assumptions.assumeTrue(chromium != null, "skipped: " + why);
        Path trace = ReportsMustHoldTest.home().resolve("traces/001-before-lock-ownership-race/trace");
        Path page = tmp.resolve("report.html");
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        int rc = new Main().run(new String[] {"analyze", trace.toString(), "--format", "html", "--out", page.toString()},
                new java.io.PrintStream(o, true, StandardCharsets.UTF_8), new java.io.PrintStream(o, true, StandardCharsets.UTF_8));
        assertEquals(1, rc, o.toString(StandardCharsets.UTF_8));
        String html = Files.readString(page);
        assertTrue(!html.matches("(?s).*(src|href)=[\"']?(https?:)?//.*"), "the page loads nothing from elsewhere");

        Process browser = new ProcessBuilder(chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--remote-debugging-port=0", "--user-data-dir=" + tmp.resolve("profile"), "--window-size=1400,1000",
                "about:blank").redirectErrorStream(true).start();
        try {
            String wsUrl = null;
            BufferedReader err = new BufferedReader(new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8));
            List<String> seen = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 60_000;
            for (String line; wsUrl == null && System.currentTimeMillis() < deadline && (line = err.readLine()) != null; ) {
                seen.add(line);
                int i = line.indexOf("ws://");
                if (line.contains("DevTools listening on") && i >= 0) {
                    wsUrl = line.substring(i).trim();
                }
            }
            Assumptions.assumeTrue(wsUrl != null, "skipped: chromium did not start: " + String.join(" | ", seen));
            Thread drain = new Thread(() -> {
                try {
                    while (err.readLine() != null) {
                        // keep the browser's pipe flowing
                    }
                } catch (java.io.IOException ignored) {
                    // browser gone
                }
            });
            drain.setDaemon(true);
            drain.start();
            URI u = URI.create(wsUrl);
            String list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + u.getHost() + ":" + u.getPort() + "/json/list"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            String pageWs = null;
            for (JsonNode t : JSON.readTree(list)) {
                if (t.get("type").asText().equals("page")) {
                    pageWs = t.get("webSocketDebuggerUrl").asText();
                }
            }
            assertTrue(pageWs != null, list);
            try (Cdp cdp = new Cdp(pageWs)) {
                cdp.send("Runtime.enable", Map.of());
                cdp.send("Log.enable", Map.of());
                cdp.send("Page.enable", Map.of());
                cdp.send("Network.enable", Map.of());
                cdp.send("Page.navigate", Map.of("url", page.toUri().toString()));
                long until = System.currentTimeMillis() + 30_000;
                JsonNode ready = null;
                while (System.currentTimeMillis() < until) {
                    ready = cdp.eval("document.body ? document.body.getAttribute('data-ready') : null");
                    if (ready != null && !ready.isNull()) {
                        break;
                    }
                    Thread.sleep(100);
                }
                assertEquals("yes", ready == null ? null : ready.asText(), "the page's own error box: "
                        + cdp.eval("(document.getElementById('errors')||{}).textContent || ''"));
                // it renders: a lane per context, the events, the list of root causes
                int lanes = cdp.eval("document.querySelectorAll('svg.timeline .lane-label').length").asInt();
                int events = cdp.eval("document.querySelectorAll('svg.timeline circle.ev').length").asInt();
                int entries = cdp.eval("document.querySelectorAll('#causes .entry').length").asInt();
                String firstCause = cdp.eval("document.querySelector('#causes .entry.head').textContent").asText();
                assertTrue(lanes >= 2, "lanes: " + lanes);
                assertTrue(events >= 4, "events: " + events);
                assertTrue(entries >= 2, "entries: " + entries);
                assertTrue(firstCause.contains("lock-ownership-race"), firstCause);
                String laneNames = cdp.eval("Array.from(document.querySelectorAll('svg.timeline .lane-label')).map(t => t.textContent).join('|')").asText();
                assertTrue(laneNames.matches(".*cpu\\d.*"), "lanes name CPU and context: " + laneNames);
                // a click on another finding highlights exactly its events and draws its arrows
                String target = cdp.eval("(() => { const r = document.querySelectorAll('#causes .entry'); const e = r[r.length - 1];"
                        + " e.scrollIntoView(); const b = e.getBoundingClientRect(); return e.getAttribute('data-entry') + ' ' + (b.x + 5) + ' ' + (b.y + 5); })()").asText();
                String[] t = target.split(" ");
                double x = Double.parseDouble(t[1]);
                double y = Double.parseDouble(t[2]);
                for (String type : List.of("mousePressed", "mouseReleased")) {
                    cdp.send("Input.dispatchMouseEvent", Map.of("type", type, "x", x, "y", y, "button", "left", "clickCount", 1));
                }
                assertEquals(t[0], cdp.eval("document.body.getAttribute('data-selected')").asText(), "the clicked finding is selected");
                int hl = cdp.eval("document.querySelectorAll('circle.ev.hl').length").asInt();
                int own = cdp.eval("document.querySelectorAll('circle.ev.hl').length === 0 ? -1 : "
                        + "Array.from(document.querySelectorAll('circle.ev.hl')).filter(c => c.getAttribute('data-entries').split(' ').includes('"
                        + t[0] + "')).length").asInt();
                assertTrue(hl > 0, "highlighted events: " + hl);
                assertEquals(hl, own, "every highlighted event belongs to the clicked finding");
                assertTrue(cdp.eval("document.getElementById('detail').textContent").asText().contains("BUG: "), "the detail pane shows it");
                // then the first finding again: its arrows (reads-from / happens-before / missing ordering) are drawn
                cdp.eval("(() => { const h = document.querySelector('#causes .entry.head'); h.scrollIntoView(); h.click(); return 1; })()");
                int arrows = cdp.eval("document.querySelectorAll('svg.timeline path.edge').length").asInt();
                assertTrue(arrows > 0, "arrows of the first finding: " + arrows);
                // the two owners' acquisitions: the ordering that is missing between them is drawn
                assertTrue(cdp.eval("document.querySelectorAll('svg.timeline path.edge.missing-ordering').length").asInt() > 0,
                        "a missing-ordering arrow between the two owners");
                // lane labels do not run into the lane's first event
                assertTrue(cdp.eval("(() => { let ok = true; document.querySelectorAll('svg.timeline').forEach(g => {"
                        + " let right = 0; g.querySelectorAll('.lane-label').forEach(t => right = Math.max(right, t.getBBox().x + t.getBBox().width));"
                        + " g.querySelectorAll('circle.ev').forEach(c => { if (c.cx.baseVal.value - 5 < right) ok = false; }); }); return ok; })()").asBoolean(),
                        "lane labels overlap the events");
                JsonNode shot = cdp.send("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
                Path png = Path.of("target", "html-report.png");
                Files.write(png, Base64.getDecoder().decode(shot.get("data").asText()));
                // no console error, no exception
                List<String> errors = new ArrayList<>();
                for (JsonNode ev : cdp.events) {
                    String m = ev.path("method").asText();
                    if (m.equals("Runtime.exceptionThrown") || m.equals("unparsable")
                            || m.equals("Runtime.consoleAPICalled") && ev.path("params").path("type").asText().equals("error")
                            || m.equals("Log.entryAdded") && ev.path("params").path("entry").path("level").asText().equals("error")) {
                        errors.add(ev.toString());
                    }
                }
                assertEquals(List.of(), errors);
                // and no fetch: every request the page made is the file itself (or data: it holds)
                for (JsonNode ev : cdp.events) {
                    if (ev.path("method").asText().equals("Network.requestWillBeSent")) {
                        String url = ev.path("params").path("request").path("url").asText();
                        assertTrue(url.startsWith("file:") || url.startsWith("data:"), "the page fetched " + url);
                    }
                }
            }
        } finally {
            browser.destroy();
            if (!browser.waitFor(10, TimeUnit.SECONDS)) {
                browser.destroyForcibly();
            }
        }
    }
}
