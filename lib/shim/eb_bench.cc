// eb_bench.cc — the C++ side of the C shim over Google Benchmark.
// Every function is a thin forwarder: the opaque C handles are the library's
// own objects (eb_state is a benchmark::State, eb_bench a registered
// benchmark::internal::Benchmark), so nothing is copied per iteration.
#include "eb_bench.h"

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

benchmark::State &st(eb_state *s)
{
    return *reinterpret_cast<benchmark::State *>(s);
}

const benchmark::State &st(const eb_state *s)
{
    return *reinterpret_cast<const benchmark::State *>(s);
}

benchmark::internal::Benchmark *bm(eb_bench *b)
{
    return reinterpret_cast<benchmark::internal::Benchmark *>(b);
}

eb_bench *handle(benchmark::internal::Benchmark *b)
{
    return reinterpret_cast<eb_bench *>(b);
}

benchmark::TimeUnit to_unit(eb_time_unit unit)
{
    switch (unit) {
    case EB_TIME_US:
        return benchmark::kMicrosecond;
    case EB_TIME_MS:
        return benchmark::kMillisecond;
    case EB_TIME_S:
        return benchmark::kSecond;
    case EB_TIME_NS:
    default:
        return benchmark::kNanosecond;
    }
}

benchmark::Counter::Flags to_flags(unsigned flags)
{
    int f = 0;
    if (flags & EB_COUNTER_RATE) f |= benchmark::Counter::kIsRate;
    if (flags & EB_COUNTER_AVG_THREADS) f |= benchmark::Counter::kAvgThreads;
    if (flags & EB_COUNTER_ITERATION_INVARIANT) f |= benchmark::Counter::kIsIterationInvariant;
    if (flags & EB_COUNTER_AVG_ITERATIONS) f |= benchmark::Counter::kAvgIterations;
    if (flags & EB_COUNTER_INVERT) f |= benchmark::Counter::kInvert;
    return static_cast<benchmark::Counter::Flags>(f);
}

} // namespace

extern "C" {

eb_bench *eb_bench_register(const char *name, eb_bench_fn fn, void *arg)
{
    if (name == nullptr || fn == nullptr) return nullptr;
    auto *b = benchmark::RegisterBenchmark(
        name, [fn, arg](benchmark::State &state) { fn(reinterpret_cast<eb_state *>(&state), arg); });
    return handle(b);
}

eb_bench *eb_bench_arg(eb_bench *b, int64_t x)
{
    return handle(bm(b)->Arg(x));
}

eb_bench *eb_bench_args(eb_bench *b, const int64_t *args, size_t count)
{
    return handle(bm(b)->Args(std::vector<int64_t>(args, args + count)));
}

eb_bench *eb_bench_arg_name(eb_bench *b, const char *name)
{
    return handle(bm(b)->ArgName(name));
}

eb_bench *eb_bench_arg_names(eb_bench *b, const char *const *names, size_t count)
{
    return handle(bm(b)->ArgNames(std::vector<std::string>(names, names + count)));
}

eb_bench *eb_bench_range(eb_bench *b, int64_t lo, int64_t hi)
{
    return handle(bm(b)->Range(lo, hi));
}

eb_bench *eb_bench_dense_range(eb_bench *b, int64_t lo, int64_t hi, int step)
{
    return handle(bm(b)->DenseRange(lo, hi, step));
}

eb_bench *eb_bench_range_multiplier(eb_bench *b, int multiplier)
{
    return handle(bm(b)->RangeMultiplier(multiplier));
}

eb_bench *eb_bench_ranges(eb_bench *b, const int64_t (*ranges)[2], size_t count)
{
    std::vector<std::pair<int64_t, int64_t>> r;
    for (size_t i = 0; i < count; i++) r.emplace_back(ranges[i][0], ranges[i][1]);
    return handle(bm(b)->Ranges(r));
}

eb_bench *eb_bench_unit(eb_bench *b, eb_time_unit unit)
{
    return handle(bm(b)->Unit(to_unit(unit)));
}

eb_bench *eb_bench_timing(eb_bench *b, eb_timing timing)
{
    switch (timing) {
    case EB_TIMING_REAL:
        return handle(bm(b)->UseRealTime());
    case EB_TIMING_MANUAL:
        return handle(bm(b)->UseManualTime());
    case EB_TIMING_PROCESS_CPU:
        return handle(bm(b)->MeasureProcessCPUTime());
    case EB_TIMING_PROCESS_CPU_REAL:
        return handle(bm(b)->MeasureProcessCPUTime()->UseRealTime());
    case EB_TIMING_CPU:
    default:
        return b;
    }
}

eb_bench *eb_bench_iterations(eb_bench *b, int64_t iterations)
{
    return handle(bm(b)->Iterations(iterations));
}

eb_bench *eb_bench_repetitions(eb_bench *b, int repetitions)
{
    return handle(bm(b)->Repetitions(repetitions));
}

eb_bench *eb_bench_min_time(eb_bench *b, double seconds)
{
    return handle(bm(b)->MinTime(seconds));
}

eb_bench *eb_bench_min_warmup_time(eb_bench *b, double seconds)
{
    return handle(bm(b)->MinWarmUpTime(seconds));
}

eb_bench *eb_bench_threads(eb_bench *b, int threads)
{
    return handle(bm(b)->Threads(threads));
}

eb_bench *eb_bench_report_aggregates_only(eb_bench *b, bool only)
{
    return handle(bm(b)->ReportAggregatesOnly(only));
}

bool eb_state_keep_running(eb_state *s)
{
    return st(s).KeepRunning();
}

int64_t eb_state_keep_running_batch(eb_state *s, int64_t batch)
{
    if (batch < 1) batch = 1;
    return st(s).KeepRunningBatch(batch) ? batch : 0;
}

int64_t eb_state_range(const eb_state *s, size_t index)
{
    return st(s).range(index);
}

int64_t eb_state_max_iterations(const eb_state *s)
{
    return st(s).max_iterations;
}

int64_t eb_state_iterations(const eb_state *s)
{
    return st(s).iterations();
}

int eb_state_thread_index(const eb_state *s)
{
    return st(s).thread_index();
}

int eb_state_threads(const eb_state *s)
{
    return st(s).threads();
}

void eb_state_pause_timing(eb_state *s)
{
    st(s).PauseTiming();
}

void eb_state_resume_timing(eb_state *s)
{
    st(s).ResumeTiming();
}

void eb_state_set_iteration_time(eb_state *s, double seconds)
{
    st(s).SetIterationTime(seconds);
}

void eb_state_set_items_processed(eb_state *s, int64_t items)
{
    st(s).SetItemsProcessed(items);
}

void eb_state_set_bytes_processed(eb_state *s, int64_t bytes)
{
    st(s).SetBytesProcessed(bytes);
}

void eb_state_set_label(eb_state *s, const char *label)
{
    st(s).SetLabel(label != nullptr ? label : "");
}

void eb_state_counter(eb_state *s, const char *name, double value, unsigned flags)
{
    if (!std::isfinite(value)) value = 0.0;
    st(s).counters[name] = benchmark::Counter(value, to_flags(flags));
}

void eb_state_skip_with_error(eb_state *s, const char *message)
{
    st(s).SkipWithError(message != nullptr ? message : "error");
}

bool eb_state_error_occurred(const eb_state *s)
{
    return st(s).error_occurred();
}

void eb_add_custom_context(const char *key, const char *value)
{
    benchmark::AddCustomContext(key, value != nullptr ? value : "");
}

void eb_bench_initialize(int *argc, char **argv)
{
    benchmark::Initialize(argc, argv);
}

bool eb_bench_report_unrecognized(int argc, char **argv)
{
    return benchmark::ReportUnrecognizedArguments(argc, argv);
}

size_t eb_bench_run(void)
{
    return benchmark::RunSpecifiedBenchmarks();
}

size_t eb_bench_run_filter(const char *filter)
{
    return benchmark::RunSpecifiedBenchmarks(std::string(filter != nullptr ? filter : ""));
}

size_t eb_bench_run_json(char **text, size_t *len)
{
    // A reporter of our own: libbenchmark's default one is a static that its
    // first run frees (1.7.x expects one run per process), so a second run
    // through it would use freed memory.
    std::ostringstream out;
    benchmark::JSONReporter reporter;
    reporter.SetOutputStream(&out);
    reporter.SetErrorStream(&std::cerr);
    size_t ran = benchmark::RunSpecifiedBenchmarks(&reporter);
    std::string s = out.str();
    *text = static_cast<char *>(std::malloc(s.size() + 1));
    if (*text == nullptr) {
        *len = 0;
        return ran;
    }
    std::memcpy(*text, s.data(), s.size());
    (*text)[s.size()] = '\0';
    *len = s.size();
    return ran;
}

void eb_bench_shutdown(void)
{
    benchmark::Shutdown();
}

int eb_bench_main(int *argc, char **argv)
{
    benchmark::Initialize(argc, argv);
    if (benchmark::ReportUnrecognizedArguments(*argc, argv)) return 1;
    size_t ran = benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return ran == 0 ? 2 : 0;
}

} // extern "C"
