package smptrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import smptrace.trace.TraceReader;

/**
 * SARIF output against the SARIF 2.1.0 JSON schema (../shared/schemas, rtm.5, draft-04) with a real
 * validator, and the fields GitHub code scanning needs beyond the schema's minimum.
 */
class SarifReportTest {
    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws Exception {
        Path p = Path.of(System.getProperty("smptrace.shared", "../shared"), "schemas", "sarif-2.1.0-rtm.5.json");
        try (InputStream in = Files.newInputStream(p)) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
    }

    private static List<SarifReport.Input> archived() throws Exception {
        Path traces = Path.of(System.getProperty("smptrace.home", "../.."), "traces");
        List<SarifReport.Input> in = new ArrayList<>();
        try (Stream<Path> s = Files.list(traces)) {
            for (Path d : s.sorted().filter(x -> Files.isDirectory(x.resolve("trace"))).toList()) {
                AnalysisResult r;
                try (TraceReader t = TraceReader.open(d.resolve("trace"))) {
                    r = new Analyzer(Options.defaults()).analyze(t);
                }
                Steps steps;
                try (TraceReader t = TraceReader.open(d.resolve("trace"))) {
                    steps = Steps.collect(t, r.findings());
                }
                in.add(new SarifReport.Input(r, d.getFileName().toString(), steps));
            }
        }
        assertFalse(in.isEmpty(), "no archived traces under " + traces);
        return in;
    }

    @Test
    void theArchivedTracesAsSarifValidateAgainstTheSchema() throws Exception {
        ObjectNode sarif = SarifReport.build(archived(), new ReportOptions(true, Set.of(), KernelMap.NONE));
        Set<ValidationMessage> errors = schema.validate(sarif);
        assertTrue(errors.isEmpty(), errors.toString());
        assertTrue(sarif.get("runs").get(0).get("results").size() > 0);
    }

    @Test
    void aLogMergedFromEachTracesOwnResultsIsTheOneLogOfAllAndValidates() throws Exception {
        // what analyze DIR --format sarif and the Spark job do: each task its trace's results, the driver the merge
        ReportOptions o = new ReportOptions(true, Set.of(), KernelMap.NONE);
        List<SarifReport.Input> in = archived();
        List<String> perTrace = new ArrayList<>();
        for (SarifReport.Input i : in) {
            perTrace.add(SarifReport.results(i, o).toString());
        }
        perTrace.add(null); // a trace that could not be read has no results
        ObjectNode merged = SarifReport.merge(perTrace);
        Set<ValidationMessage> errors = schema.validate(merged);
        assertTrue(errors.isEmpty(), errors.toString());
        assertEquals(SarifReport.build(in, o), merged);
    }

    @Test
    void theValidatorRejectsWhatTheSchemaForbids() throws Exception {
        ObjectNode sarif = SarifReport.build(archived(), ReportOptions.defaults());
        ObjectNode bad = sarif.deepCopy();
        ((ObjectNode) bad.get("runs").get(0).get("results").get(0)).put("level", "fatal");
        assertFalse(schema.validate(bad).isEmpty(), "a level outside the enum must fail");
        ObjectNode noVersion = sarif.deepCopy();
        noVersion.remove("version");
        assertFalse(schema.validate(noVersion).isEmpty(), "version is required");
    }

    @Test
    void codeScanningFindsEverythingItNeeds() throws Exception {
        JsonNode sarif = new ObjectMapper().readTree(SarifReport.build(archived(), ReportOptions.defaults()).toString());
        assertEquals("2.1.0", sarif.get("version").asText());
        assertTrue(sarif.has("$schema"));
        JsonNode run = sarif.get("runs").get(0);
        JsonNode driver = run.get("tool").get("driver");
        assertEquals("smptrace", driver.get("name").asText());
        List<String> ruleIds = new ArrayList<>();
        for (JsonNode r : driver.get("rules")) {
            ruleIds.add(r.get("id").asText());
            assertFalse(r.get("shortDescription").get("text").asText().isBlank());
            assertFalse(r.get("fullDescription").get("text").asText().isBlank());
        }
        for (Finding.Kind k : Finding.Kind.values()) {
            assertTrue(ruleIds.contains(k.id), "a rule per kind: " + k.id);
        }
        for (JsonNode res : run.get("results")) {
            String rule = res.get("ruleId").asText();
            assertEquals(rule, ruleIds.get(res.get("ruleIndex").asInt()));
            assertFalse(res.get("message").get("text").asText().isBlank());
            JsonNode loc = res.get("locations").get(0).get("physicalLocation");
            String uri = loc.get("artifactLocation").get("uri").asText();
            assertTrue(uri.endsWith(".java") && !uri.startsWith("/") && !uri.contains(":"), "repository-relative uri: " + uri);
            assertTrue(loc.get("region").get("startLine").asInt() >= 1);
            assertFalse(res.get("partialFingerprints").get("smptraceFinding/v1").asText().isBlank());
            if (res.get("properties").get("rootCauseHead").asBoolean() && res.has("codeFlows")) {
                JsonNode flows = res.get("codeFlows").get(0).get("threadFlows");
                assertTrue(flows.size() >= 1);
                for (JsonNode tf : flows) {
                    assertTrue(tf.get("locations").size() >= 1);
                }
            }
        }
        // two accesses of a race: the second is a related location
        boolean related = false;
        for (JsonNode res : run.get("results")) {
            related |= res.get("ruleId").asText().equals("data-race") && res.has("relatedLocations");
        }
        assertTrue(related, "data races carry the other access as a related location");
    }
}
