package io.meshfl.mesh.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlReportTest {

    private final String html = new HtmlReport().render(ReportFixture.twoRounds());

    private static List<String> svgs(String html) {
        List<String> svgs = new ArrayList<>();
        Matcher matcher = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL).matcher(html);
        while (matcher.find()) {
            svgs.add(matcher.group());
        }
        return svgs;
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static String svgTitled(String html, String title) {
        return svgs(html).stream().filter(svg -> svg.contains("<title>" + title + "</title>")).findFirst().orElseThrow();
    }

    @Test
    void thePageFetchesNothing() {
        assertThat(html).doesNotContainPattern("(?i)<script|<link|<img|<iframe|@import|url\\(");
        // The only URL is the SVG namespace, which is a name, not something a browser loads.
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("http://", "https://");
    }

    @Test
    void everyChartIsWellFormedSvg() throws Exception {
        List<String> svgs = svgs(html);

        assertThat(svgs).hasSize(6);
        for (String svg : svgs) {
            assertThat(parse(svg).getDocumentElement().getTagName()).isEqualTo("svg");
        }
    }

    @Test
    void theAccuracyChartPlotsOnePointPerRoundWithItsValue() throws Exception {
        NodeList points = parse(svgTitled(html, "Global model accuracy per round")).getElementsByTagName("circle");

        assertThat(points.getLength()).isEqualTo(2);
        Element second = (Element) points.item(1);
        assertThat(second.getAttribute("data-x")).isEqualTo("2");
        assertThat(second.getAttribute("data-y")).isEqualTo("0.9");
    }

    @Test
    void perDomainAccuracyHasOneSeriesPerDomain() throws Exception {
        Document chart = parse(svgTitled(html, "Global model accuracy on each domain&#39;s hold-out split"));

        NodeList groups = chart.getElementsByTagName("g");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < groups.getLength(); i++) {
            String name = ((Element) groups.item(i)).getAttribute("data-name");
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        assertThat(names).containsExactly("domain-1", "domain-2");
        assertThat(chart.getElementsByTagName("circle").getLength()).isEqualTo(4);
    }

    @Test
    void acceptedAndRejectedUpdatesAreBarsPerRound() throws Exception {
        NodeList bars = parse(svgTitled(html, "Updates accepted and rejected per round")).getElementsByTagName("rect");
        List<String> values = new ArrayList<>();
        for (int i = 0; i < bars.getLength(); i++) {
            Element bar = (Element) bars.item(i);
            if ("bar".equals(bar.getAttribute("class"))) {
                values.add(bar.getAttribute("data-category") + ":" + bar.getAttribute("data-series") + "="
                        + bar.getAttribute("data-value"));
            }
        }
        assertThat(values).containsExactly("1:accepted=2.0", "1:rejected=0.0", "2:accepted=1.0", "2:rejected=1.0");
    }

    @Test
    void theComparisonTableListsFederatedCentralisedAndEveryLocalModel() {
        assertThat(html).contains("<td>federated (fedavg)</td><td>0.9000</td><td>0.3000</td>")
                .contains("<td>centralised (all data pooled)</td><td>0.9200</td><td>0.2500</td>")
                .contains("<td>local only: domain-1</td><td>0.5000</td>")
                .contains("<td>local only: domain-2</td><td>0.4000</td>")
                .doesNotContain("poisoned");
    }

    @Test
    void underAttackTheReportNamesTheAttackerAndAddsTheReplayToTableAndChart() {
        String attacked = new HtmlReport().render(ReportFixture.underAttack());

        assertThat(attacked).contains("<b>domain-2</b> sends poisoned")
                .contains("<td>replay with median, same attack</td><td>0.8500</td><td>0.4000</td>")
                .contains("median replay");
    }

    @Test
    void namesAreEscaped() {
        DemoReport hostile = new DemoReport("<script>x</script>", "local", "fedavg", 1, 1,
                ReportFixture.metrics(0, 0),
                ReportFixture.metrics(0, 0), Map.of("a&b", ReportFixture.metrics(0, 0)),
                List.of(new RoundResult(1, ReportFixture.closed(List.of("<d>"), List.of("<e>"), List.of(),
                        List.of(new Participation.Rejection("<f>", "<why>"))), 0.5, 1, Map.of("<d>", 0.5), 1)),
                Optional.empty());

        String page = new HtmlReport().render(hostile);

        assertThat(page).doesNotContain("<script>").contains("&lt;script&gt;").contains("a&amp;b").contains("&lt;d&gt;")
                .contains("&lt;e&gt;").contains("&lt;f&gt; (&lt;why&gt;)");
    }

    @Test
    void theParticipationTableShowsEachRoundsOutcomeAndEachDomainsContributions() {
        String html = new HtmlReport().render(ReportFixture.withAnAbsentDomain());

        assertThat(html).contains("<h2>Participation</h2>")
                .contains("<tr><td>2</td><td>CLOSED</td><td>domain-1, domain-3, domain-4</td><td>domain-2</td><td></td>"
                        + "<td></td><td>21.0</td></tr>")
                .contains("<tr><td>3</td><td>FAILED: quorum not met: 2 of 3 domains</td><td>domain-1, domain-3</td>"
                        + "<td>domain-2, domain-4</td><td>domain-4</td><td></td><td>22.5</td></tr>")
                .contains("<tr><td>domain-2</td><td>1</td><td>1</td></tr>")
                .contains("<tr><td>domain-4</td><td>1, 2, 4</td><td>3</td></tr>");
    }

    @Test
    void aLineChartMapsTheRangeOntoThePlotArea() {
        // Prepare: rounds 1..3, y from 0 to 1; plot area x 56..624, y 28..260.
        LineChart chart = new LineChart("t", "y", List.of(1, 2, 3), List.of(), 0, 1);

        // Execute and Assert: the first round at the left edge, the last at the right, y=1 at the top.
        assertThat(chart.xPosition(1)).isEqualTo(56.0);
        assertThat(chart.xPosition(2)).isEqualTo(340.0);
        assertThat(chart.xPosition(3)).isEqualTo(624.0);
        assertThat(chart.yPosition(1)).isEqualTo(28.0);
        assertThat(chart.yPosition(0)).isEqualTo(260.0);
        assertThat(chart.yPosition(0.5)).isEqualTo(144.0);
    }
}
