#include "experiments/plots.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "experiments/metrics.h"
#include "experiments/report.h"
#include "experiments/results_io.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "util/files.h"

namespace gclab {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

const std::string kLongName =
    "concurrent_hybrid_barrier_gogc100_with_a_configuration_name_far_too_long_for_any_legend";

// A run of `wall_ms` with pauses (start ms, duration ms).
void AddRun(ExperimentResults* results, const std::string& config, const std::string& workload,
            int repetition, double wall_ms, const std::vector<std::pair<double, double>>& pauses,
            const std::string& status = "ok") {
  RunResult* r = results->add_runs();
  r->set_config(config);
  r->set_workload(workload);
  r->set_repetition(repetition);
  r->set_status(status);
  r->set_wall_s(wall_ms / 1e3);
  for (const auto& [start, duration] : pauses) {
    PauseSample* p = r->add_pause_samples();
    p->set_start_ns(std::llround(start * 1e6));
    p->set_duration_ns(std::llround(duration * 1e6));
  }
}

// Three configurations (one without collector, so without pauses, and one
// with a very long name) x two workloads x three repetitions.
ExperimentResults ThreeConfigs() {
  ExperimentResults results;
  results.mutable_experiment()->set_name("exp");
  for (const std::string& c : {std::string("nogc"), std::string("marksweep"), kLongName}) {
    results.mutable_experiment()->add_configs()->set_name(c);
  }
  for (const char* w : {"gcbench", "splay"}) {
    for (int i = 0; i < 3; ++i) AddRun(&results, "nogc", w, i, 400 + 10 * i, {});
  }
  for (const char* w : {"gcbench", "splay"}) {
    for (int i = 0; i < 3; ++i) {
      std::vector<std::pair<double, double>> pauses;
      for (int k = 0; k < 20; ++k) pauses.push_back({20.0 * k + 1, 2.0 + 0.5 * k + i});
      AddRun(&results, "marksweep", w, i, 450 + 10 * i, pauses);
    }
  }
  for (const char* w : {"gcbench", "splay"}) {
    for (int i = 0; i < 3; ++i) {
      std::vector<std::pair<double, double>> pauses;
      for (int k = 0; k < 100; ++k) pauses.push_back({4.0 * k + 0.5, 0.0002 * (1 + k % 7)});
      pauses.push_back({300, 3.0 + i});
      AddRun(&results, kLongName, w, i, 380 + 10 * i, pauses);
    }
  }
  return results;
}

std::string Unescape(const std::string& s) {
  return absl::StrReplaceAll(s, {{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&amp;", "&"}});
}

// One tag of an SVG document (which has no comments, CDATA or '>' in
// attribute values): its name, attributes, and the text up to the next tag.
struct Tag {
  std::string name;
  bool closing = false;
  bool self_closing = false;
  std::map<std::string, std::string> attrs;
  std::string text;
};
std::vector<Tag> ParseTags(const std::string& svg) {
  std::vector<Tag> tags;
  for (size_t pos = svg.find('<'); pos != std::string::npos; pos = svg.find('<', pos + 1)) {
    const size_t end = svg.find('>', pos);
    EXPECT_NE(end, std::string::npos);
    if (end == std::string::npos) break;
    std::string inner = svg.substr(pos + 1, end - pos - 1);
    Tag t;
    if (!inner.empty() && inner.front() == '/') t.closing = true, inner.erase(0, 1);
    if (!inner.empty() && inner.back() == '/') t.self_closing = true, inner.pop_back();
    size_t i = inner.find_first_of(" \n");
    t.name = inner.substr(0, i);
    while (i != std::string::npos) {
      const size_t eq = inner.find("=\"", i);
      if (eq == std::string::npos) break;
      const size_t name_start = inner.find_last_of(" \n", eq) + 1;
      const size_t close = inner.find('"', eq + 2);
      t.attrs[inner.substr(name_start, eq - name_start)] =
          Unescape(inner.substr(eq + 2, close - eq - 2));
      i = close + 1;
    }
    const size_t next = svg.find('<', end);
    t.text = Unescape(svg.substr(end + 1, next == std::string::npos ? next : next - end - 1));
    tags.push_back(std::move(t));
  }
  return tags;
}

std::string Attr(const Tag& t, const std::string& name, const std::string& otherwise = "") {
  auto it = t.attrs.find(name);
  return it == t.attrs.end() ? otherwise : it->second;
}

// The data-name of every <g class="KIND">, in order.
std::vector<std::string> Groups(const std::string& svg, const std::string& kind) {
  std::vector<std::string> names;
  for (const Tag& t : ParseTags(svg)) {
    if (t.name == "g" && !t.closing && Attr(t, "class") == kind)
      names.push_back(Attr(t, "data-name"));
  }
  return names;
}

// The <text> elements.
std::vector<Tag> Texts(const std::string& svg) {
  std::vector<Tag> texts;
  for (const Tag& t : ParseTags(svg)) {
    if (t.name == "text" && !t.closing) texts.push_back(t);
  }
  return texts;
}

std::vector<std::string> TextsOfClass(const std::string& svg, const std::string& cls) {
  std::vector<std::string> out;
  for (const Tag& t : Texts(svg)) {
    if (Attr(t, "class") == cls) out.push_back(t.text);
  }
  return out;
}

// The text of every legend entry.
std::vector<std::string> LegendTexts(const std::string& svg) {
  std::vector<std::string> out;
  bool in_entry = false;
  for (const Tag& t : ParseTags(svg)) {
    if (t.name == "g" && !t.closing) in_entry = Attr(t, "class") == "legend-entry";
    if (in_entry && t.name == "text" && !t.closing) out.push_back(t.text), in_entry = false;
  }
  return out;
}

// Start and end tags nest properly, and the document is one <svg> element.
void ExpectBalancedTags(const std::string& svg) {
  std::vector<std::string> open;
  int roots = 0;
  for (const Tag& t : ParseTags(svg)) {
    if (t.closing) {
      ASSERT_FALSE(open.empty()) << "</" << t.name << "> without a start tag";
      ASSERT_EQ(open.back(), t.name);
      open.pop_back();
    } else {
      if (open.empty()) ++roots;
      if (!t.self_closing) open.push_back(t.name);
    }
  }
  EXPECT_TRUE(open.empty());
  EXPECT_EQ(roots, 1);
}

// A well-formed SVG whose every <text> has its estimated extent (DejaVu Sans
// widths, ascent 0.95 em, descent 0.25 em, rotation applied) inside the
// viewBox, 2 px from its edges.
void ExpectTextInside(const std::string& svg) {
  ASSERT_THAT(svg, ::testing::StartsWith("<svg"));
  ASSERT_THAT(svg, ::testing::EndsWith("</svg>\n"));
  ExpectBalancedTags(svg);
  double width = 0, height = 0;
  ASSERT_EQ(std::sscanf(Attr(ParseTags(svg)[0], "viewBox").c_str(), "0 0 %lf %lf", &width, &height),
            2);
  const std::vector<Tag> texts = Texts(svg);
  ASSERT_FALSE(texts.empty());
  for (const Tag& t : texts) {
    const double x = std::stod(Attr(t, "x")), y = std::stod(Attr(t, "y"));
    const double size = std::stod(Attr(t, "font-size", "11"));
    const double w = EstimateTextWidth(t.text, size);
    const std::string anchor = Attr(t, "text-anchor", "start");
    const double x0 = anchor == "middle" ? x - w / 2 : anchor == "end" ? x - w : x;
    double left = x0, right = x0 + w, top = y - 0.95 * size, bottom = y + 0.25 * size;
    if (!Attr(t, "transform").empty()) {
      double angle, cx, cy;
      ASSERT_EQ(std::sscanf(Attr(t, "transform").c_str(), "rotate(%lf %lf %lf)", &angle, &cx, &cy),
                3)
          << Attr(t, "transform");
      const double a = angle * M_PI / 180, c = std::cos(a), s = std::sin(a);
      double l = 1e300, r = -1e300, tp = 1e300, b = -1e300;
      for (double px : {left, right}) {
        for (double py : {top, bottom}) {
          const double rx = cx + (px - cx) * c - (py - cy) * s;
          const double ry = cy + (px - cx) * s + (py - cy) * c;
          l = std::min(l, rx), r = std::max(r, rx), tp = std::min(tp, ry), b = std::max(b, ry);
        }
      }
      left = l, right = r, top = tp, bottom = b;
    }
    EXPECT_GE(left, 2) << "\"" << t.text << "\" sticks out on the left";
    EXPECT_LE(right, width - 2) << "\"" << t.text << "\" sticks out on the right";
    EXPECT_GE(top, 2) << "\"" << t.text << "\" sticks out at the top";
    EXPECT_LE(bottom, height - 2) << "\"" << t.text << "\" sticks out at the bottom";
  }
}

TEST(PlotsTest, OnePlotPairPerWorkloadWithOneSeriesPerConfiguration) {
  const ExperimentResults results = ThreeConfigs();
  const std::vector<WorkloadPlots> plots = MakeWorkloadPlots(results);
  ASSERT_EQ(plots.size(), 2u);
  EXPECT_EQ(plots[0].workload, "gcbench");
  EXPECT_EQ(plots[0].mmu_file, "mmu_gcbench.svg");
  EXPECT_EQ(plots[0].pauses_file, "pauses_gcbench.svg");
  EXPECT_EQ(plots[1].mmu_file, "mmu_splay.svg");
  for (const WorkloadPlots& p : plots) {
    // Every configuration has a legend entry in config order; every one with
    // data a drawn series.
    EXPECT_THAT(Groups(p.mmu_svg, "legend-entry"), ElementsAre("nogc", "marksweep", kLongName));
    EXPECT_THAT(Groups(p.mmu_svg, "series"), ElementsAre("nogc", "marksweep", kLongName));
    EXPECT_THAT(Groups(p.pauses_svg, "legend-entry"), ElementsAre("nogc", "marksweep", kLongName));
    EXPECT_THAT(Groups(p.pauses_svg, "series"), ElementsAre("marksweep", kLongName));
    EXPECT_THAT(p.mmu_svg, HasSubstr(absl::StrCat("exp / ", p.workload)));
  }
  const std::vector<std::string> legend = LegendTexts(plots[0].pauses_svg);
  ASSERT_EQ(legend.size(), 3u);
  EXPECT_EQ(legend[0], "nogc — no pauses in 3 runs");
  EXPECT_THAT(legend[1], HasSubstr("marksweep — 60 pauses in 3 runs: p50 "));
  EXPECT_THAT(legend[1], HasSubstr(", max 13.5ms"));
  // The long name is shortened in the legend (the full one is its tooltip).
  EXPECT_THAT(legend[2], ::testing::StartsWith(kLongName.substr(0, 39) + "… — 303 pauses"));
  EXPECT_THAT(LegendTexts(plots[0].mmu_svg)[1], "marksweep — median of 3 runs");
}

TEST(PlotsTest, SeriesDifferInColourAndDash) {
  const WorkloadPlots p = MakeWorkloadPlots(ThreeConfigs())[0];
  std::set<std::string> colours, dashes;
  for (const Tag& t : ParseTags(p.mmu_svg)) {
    if (t.name != "polyline") continue;
    colours.insert(Attr(t, "stroke"));
    dashes.insert(Attr(t, "stroke-dasharray", "solid"));
  }
  EXPECT_EQ(colours.size(), 3u);
  EXPECT_EQ(dashes.size(), 3u);  // also distinct in greyscale
}

TEST(PlotsTest, AllTextInsideTheViewBox) {
  for (const WorkloadPlots& p : MakeWorkloadPlots(ThreeConfigs())) {
    SCOPED_TRACE(p.workload);
    ExpectTextInside(p.mmu_svg);
    ExpectTextInside(p.pauses_svg);
  }
  // Names that need escaping and are long, with a long workload label.
  ExperimentResults odd;
  const std::string name = "a<b>&\"c\"-" + kLongName + kLongName;
  AddRun(&odd, name, "w", 0, 100, {{1, 2}});
  AddRun(&odd, "x", "w", 0, 100, {{1, 0.001}});
  const WorkloadPlots p = MakeWorkloadPlots(odd)[0];
  ExpectTextInside(p.mmu_svg);
  ExpectTextInside(p.pauses_svg);
  EXPECT_THAT(Groups(p.pauses_svg, "series"), ElementsAre(name, "x"));
}

TEST(PlotsTest, LogAxesHaveLabelledTicks) {
  const WorkloadPlots p = MakeWorkloadPlots(ThreeConfigs())[0];
  // Windows from the shortest longest-pause of a run (3 ms, so from 1 ms) to
  // the longest run (470 ms, so to 500 ms); pauses from 0.2 µs to 13.5 ms
  // with some room (from 100 ns to 20 ms).
  EXPECT_THAT(TextsOfClass(p.mmu_svg, "xtick"), ElementsAre("1ms", "10ms", "100ms"));
  EXPECT_THAT(TextsOfClass(p.pauses_svg, "xtick"),
              ElementsAre("100ns", "1µs", "10µs", "100µs", "1ms", "10ms"));
  // Less than a decade of data: ticks at 1, 2, 5 x 10^k.
  std::vector<PauseSeries> narrow(1);
  narrow[0].name = "a";
  narrow[0].runs = 1;
  narrow[0].pauses_ms = {0.3, 0.35, 0.4};
  EXPECT_THAT(TextsOfClass(PauseCdfSvg("t", "s", narrow), "xtick"), ElementsAre("200µs", "500µs"));
  narrow[0].pauses_ms = {1};
  const std::string one = PauseCdfSvg("t", "s", narrow);
  EXPECT_THAT(TextsOfClass(one, "xtick"), ElementsAre("500µs", "1ms", "2ms"));
  ExpectTextInside(one);
}

TEST(PlotsTest, EmptyInputsGiveAnExplainedEmptyPlot) {
  for (const std::string& svg : {MmuPlotSvg("t", "s", {}), PauseCdfSvg("t", "s", {})}) {
    ExpectTextInside(svg);
    EXPECT_THAT(TextsOfClass(svg, "note"), ElementsAre("No configurations."));
    EXPECT_THAT(svg, ::testing::Not(HasSubstr("<polyline")));
  }
  // Only configurations without pauses.
  ExperimentResults nogc;
  nogc.mutable_experiment()->add_configs()->set_name("nogc");
  AddRun(&nogc, "nogc", "w", 0, 100, {});
  const WorkloadPlots p = MakeWorkloadPlots(nogc)[0];
  ExpectTextInside(p.pauses_svg);
  EXPECT_THAT(TextsOfClass(p.pauses_svg, "note"),
              ElementsAre("No pauses recorded in any configuration: nothing to plot."));
  EXPECT_THAT(LegendTexts(p.pauses_svg), ElementsAre("nogc — no pauses in 1 run"));
  // Without pauses the MMU is 1 at every window.
  ExpectTextInside(p.mmu_svg);
  EXPECT_THAT(Groups(p.mmu_svg, "series"), ElementsAre("nogc"));
  // Only failed runs.
  ExperimentResults failed;
  AddRun(&failed, "ms", "w", 0, 100, {{1, 2}}, "oom");
  AddRun(&failed, "ms", "w", 1, 100, {{1, 2}}, "oom");
  const WorkloadPlots f = MakeWorkloadPlots(failed)[0];
  for (const std::string& svg : {f.mmu_svg, f.pauses_svg}) {
    ExpectTextInside(svg);
    EXPECT_THAT(TextsOfClass(svg, "note"), ::testing::SizeIs(1));
    EXPECT_THAT(LegendTexts(svg), ElementsAre("ms — no successful run (2 failed)"));
    EXPECT_THAT(Groups(svg, "series"), ::testing::IsEmpty());
  }
  // No runs at all: no plots.
  EXPECT_THAT(MakeWorkloadPlots(ExperimentResults()), ::testing::IsEmpty());
}

TEST(PlotsTest, MmuSeriesIsThePointwiseMedianOfTheRunsCurves) {
  ExperimentResults results;
  // 10 ms runs with one pause each: 1, 2 and 4 ms; one failed run.
  AddRun(&results, "c", "w", 0, 10, {{3, 1}});
  AddRun(&results, "c", "w", 1, 10, {{3, 2}});
  AddRun(&results, "c", "w", 2, 10, {{3, 4}});
  AddRun(&results, "c", "w", 3, 10, {{3, 9}}, "oom");
  const std::vector<ResultCell> cells = GroupByCell(results);
  const MmuSeries s = MakeMmuSeries("c", cells[0].runs, 0.1);
  EXPECT_EQ(s.runs, 3);
  EXPECT_EQ(s.failed, 1);
  ASSERT_EQ(s.window_ms.size(), 41u);  // 0.1 ms .. 10 ms, 20 per decade
  EXPECT_DOUBLE_EQ(s.window_ms.front(), 0.1);
  EXPECT_DOUBLE_EQ(s.window_ms.back(), 10);
  for (size_t i = 0; i < s.window_ms.size(); ++i) {
    std::vector<double> mmu;
    for (double pause : {1.0, 2.0, 4.0}) {
      mmu.push_back(MinimumMutatorUtilization({{3000000, std::llround(pause * 1e6)}}, 0, 10000000,
                                              std::llround(s.window_ms[i] * 1e6)));
    }
    EXPECT_DOUBLE_EQ(s.median[i], mmu[1]) << s.window_ms[i];
    EXPECT_DOUBLE_EQ(s.max[i], mmu[0]) << s.window_ms[i];
    EXPECT_DOUBLE_EQ(s.min[i], mmu[2]) << s.window_ms[i];
  }
  EXPECT_DOUBLE_EQ(s.median.back(), 0.8);  // the whole run: 2 ms paused of 10
  EXPECT_DOUBLE_EQ(s.median.front(), 0);
}

TEST(PlotsTest, PauseSeriesPoolsTheOkRuns) {
  ExperimentResults results;
  AddRun(&results, "c", "w", 0, 10, {{1, 3}, {5, 1}});
  AddRun(&results, "c", "w", 1, 10, {{1, 2}});
  AddRun(&results, "c", "w", 2, 10, {{1, 7}}, "error");
  const PauseSeries s = MakePauseSeries("c", GroupByCell(results)[0].runs);
  EXPECT_THAT(s.pauses_ms, ElementsAre(1, 2, 3));
  EXPECT_EQ(s.runs, 2);
  EXPECT_EQ(s.failed, 1);
  EXPECT_THAT(LegendTexts(PauseCdfSvg("t", "s", {s})),
              ElementsAre("c — 3 pauses in 2 runs: p50 2ms, p99 2.98ms, max 3ms; 1 failed run "
                          "left out"));
}

TEST(PlotsTest, WritesThePlotsTheReportEmbeds) {
  const ExperimentResults results = ThreeConfigs();
  const std::string dir = ::testing::TempDir();
  absl::StatusOr<std::vector<std::string>> files = WritePlots(results, dir);
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_THAT(*files, ElementsAre("mmu_gcbench.svg", "pauses_gcbench.svg", "mmu_splay.svg",
                                  "pauses_splay.svg"));
  const std::string report = MarkdownReport(results, *files);
  std::vector<std::string> embedded;
  static const std::regex kImage("!\\[[^\\]]*\\]\\(([^)]*)\\)");
  for (std::sregex_iterator it(report.begin(), report.end(), kImage), end; it != end; ++it) {
    embedded.push_back((*it)[1]);
  }
  EXPECT_THAT(embedded, ElementsAreArray(*files));
  for (const std::string& f : *files) {
    absl::StatusOr<std::string> svg = ReadFile(absl::StrCat(dir, "/", f));
    ASSERT_TRUE(svg.ok()) << f;
    ExpectTextInside(*svg);
  }
}

TEST(PlotsTest, TextWidthEstimateIsNotBelowDejaVuSans) {
  // Advance widths of DejaVu Sans (the widest common sans-serif) at 10 px.
  EXPECT_NEAR(EstimateTextWidth("mmu", 10), 9.74 + 9.74 + 6.34, 0.01);
  EXPECT_NEAR(EstimateTextWidth("WWW", 10), 3 * 9.89, 0.01);
  EXPECT_NEAR(EstimateTextWidth("5µs", 10), 6.36 + 10 + 5.21, 0.01);  // non-ASCII: 1 em
  EXPECT_EQ(EstimateTextWidth("", 10), 0);
}

}  // namespace
}  // namespace gclab
