#include "experiments/results_io.h"

#include "absl/strings/str_split.h"
#include "experiments/report.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gclab {
namespace {

using ::testing::HasSubstr;

ExperimentResults TwoRuns() {
  ExperimentResults results;
  results.mutable_experiment()->set_name("exp");
  results.mutable_experiment()->add_configs()->set_name("ms");
  for (int i = 0; i < 2; ++i) {
    RunResult* r = results.add_runs();
    r->set_config("ms");
    r->set_allocator("size_class");
    r->set_collector("marksweep");
    r->set_escape_mode("none");
    r->set_workload("gcbench");
    r->set_repetition(i);
    r->set_status(i == 0 ? "ok" : "oom");
    r->set_message(i == 0 ? "" : "out of memory, \"really\"");
    r->set_wall_s(1.5 + i);
    r->set_collections(3);
    r->set_peak_heap_bytes(1048576);
    r->set_mmu_10ms(0.25);
    r->set_ttsp_max_ms(0.5 + i);
    r->set_ttsp_total_ms(4.0);
    PauseSample* p = r->add_pause_samples();
    p->set_start_ns(1000000);
    p->set_duration_ns(2000000);
  }
  return results;
}

TEST(ResultsJsonTest, TheIncrementalDocumentReadsBackAsTheWholeOne) {
  ExperimentResults results = TwoRuns();
  results.set_runs_planned(3);
  IncrementalResultsJson writer;
  for (int n = 0; n <= 2; ++n) {
    ExperimentResults so_far = results;
    so_far.mutable_runs()->DeleteSubrange(n, 2 - n);
    so_far.set_complete(false);
    absl::StatusOr<std::string> doc = writer.Document(so_far);
    ASSERT_TRUE(doc.ok()) << doc.status();
    absl::StatusOr<ExperimentResults> back = ResultsFromJson(*doc);
    ASSERT_TRUE(back.ok()) << back.status() << "\n" << *doc;
    absl::StatusOr<ExperimentResults> whole = ResultsFromJson(*ResultsToJson(so_far));
    ASSERT_TRUE(whole.ok());
    EXPECT_EQ(back->SerializeAsString(), whole->SerializeAsString()) << *doc;
    EXPECT_EQ(back->runs_size(), n);
  }
}

TEST(ResultsCsvTest, HeaderIsExact) {
  const std::string csv = ResultsToCsv(ExperimentResults());
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "experiment,config,allocator,collector,escape_mode,workload,repetition,status,"
            "wall_s,cpu_s,collections,pauses,pause_total_ms,pause_p50_ms,pause_p99_ms,"
            "pause_max_ms,mmu_1ms,mmu_10ms,mmu_100ms,peak_heap_bytes,peak_rss_bytes,"
            "bytes_allocated,objects_allocated,stack_allocated_objects,barrier_slow_hits,"
            "pause_mean_ms,alloc_rate_mb_s,mark_rate_mb_s,seed,message,ttsp_max_ms,ttsp_total_ms");
}

TEST(ResultsCsvTest, OneRowPerRunWithQuotedMessages) {
  const std::vector<std::string> lines =
      absl::StrSplit(ResultsToCsv(TwoRuns()), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(lines[1],
              ::testing::StartsWith("exp,ms,size_class,marksweep,none,gcbench,0,ok,1.5,"));
  EXPECT_THAT(lines[2], HasSubstr(",oom,2.5,"));
  EXPECT_THAT(lines[2], ::testing::EndsWith(",\"out of memory, \"\"really\"\"\",1.5,4"));
}

TEST(ResultsJsonTest, RoundTrips) {
  absl::StatusOr<std::string> json = ResultsToJson(TwoRuns());
  ASSERT_TRUE(json.ok());
  EXPECT_THAT(*json, HasSubstr("\"peak_heap_bytes\": \"1048576\""));
  absl::StatusOr<ExperimentResults> back = ResultsFromJson(*json);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->runs(1).message(), "out of memory, \"really\"");
  EXPECT_EQ(back->runs(0).pause_samples(0).duration_ns(), 2000000);
  EXPECT_DOUBLE_EQ(back->runs(1).ttsp_max_ms(), 1.5);
  EXPECT_EQ(*ResultsToJson(*back), *json);
  EXPECT_FALSE(ResultsFromJson("{\"runs\": 3}").ok());
}

TEST(ReportTest, TableHasMedianAndRangeAndStatus) {
  const std::string table = MarkdownTable(TwoRuns());
  EXPECT_THAT(table, HasSubstr("| ms | gcbench | oom 1/2 | 2.000 (1.500–2.500) |"));
  EXPECT_THAT(table, HasSubstr("| pause max ms | TTSP max ms |"));
  EXPECT_THAT(table, HasSubstr("| 1.00 (0.50–1.50) |"));  // median TTSP max and range
}

TEST(ReportTest, TheHeapAndStackTableOnlyWhenGclabRanAnEscapeAnalysis) {
  ExperimentResults results = TwoRuns();
  EXPECT_THAT(MarkdownReport(results, {}), ::testing::Not(HasSubstr("Heap and stack allocation")));
  RunResult* go = results.add_runs();  // Go's runtime always runs its own analysis
  go->set_config("go1.19");
  go->set_collector("go");
  go->set_escape_mode("go");
  go->set_workload("gcbench");
  go->set_status("ok");
  EXPECT_THAT(MarkdownReport(results, {}), ::testing::Not(HasSubstr("Heap and stack allocation")));
  RunResult* escape = results.add_runs();
  escape->set_config("ms-go");
  escape->set_collector("marksweep");
  escape->set_escape_mode("go");
  escape->set_workload("gcbench");
  escape->set_status("ok");
  escape->set_bytes_allocated(3 * 1048576);
  escape->set_stack_allocated_objects(1234);
  const std::string report = MarkdownReport(results, {});
  EXPECT_THAT(report, HasSubstr("Heap and stack allocation"));
  EXPECT_THAT(report, HasSubstr("| ms-go | gcbench | go | 3.0 | 0 | 1234 |"));
}

}  // namespace
}  // namespace gclab
