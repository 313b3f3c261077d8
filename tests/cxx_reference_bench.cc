// cxx_reference_bench.cc — the reference the shim's overhead is measured
// against: an empty benchmark written directly in C++ against libbenchmark.
#include <benchmark/benchmark.h>

extern "C" void register_cxx_empty_benchmark(const char *name);

static void cxx_empty(benchmark::State &state)
{
    for (auto _ : state) {
        benchmark::ClobberMemory();
    }
}

extern "C" void register_cxx_empty_benchmark(const char *name)
{
    benchmark::RegisterBenchmark(name, cxx_empty);
}
