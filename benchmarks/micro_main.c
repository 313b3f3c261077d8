/* micro_main.c — execbench-micro: the costs that explain the runner's results,
 * each a C benchmark on the shim; every Google Benchmark flag works. */
#include "eb_bench.h"
#include "eb_build_info.h"
#include "micro.h"

int main(int argc, char **argv)
{
    micro_sumsq_register();
    micro_switch_register();
    micro_spawn_register();
    micro_wait_register();
    micro_memory_register();
    micro_hybrid_register();
    micro_gil_register();
    eb_add_custom_context("execbench_version", EB_VERSION);
    eb_add_custom_context("execbench_build_type", EB_BUILD_TYPE);
    eb_add_custom_context("execbench_compiler", EB_C_COMPILER " " EB_C_FLAGS);
    return eb_bench_main(&argc, argv);
}
