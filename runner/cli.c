/* cli.c — parsing execbench's flags (cli.h); getopt_long with our own
 * one-line messages. */
#include "cli.h"

#include "parse.h"
#include "suggest.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <regex.h>
#include <stdarg.h>
#include <string.h>

enum {
    OPT_PRESET = 256,
    OPT_WORKLOAD,
    OPT_EXECUTOR,
    OPT_WORKERS,
    OPT_TASKS,
    OPT_PIN,
    OPT_CPUSET,
    OPT_PARAM,
    OPT_REPETITIONS,
    OPT_WARMUP,
    OPT_TIMEOUT,
    OPT_SEED,
    OPT_CORO_BACKEND,
    OPT_OUT,
    OPT_REPEAT_RUN,
    OPT_MICRO,
    OPT_QUIET,
    OPT_LIST,
    OPT_HELP,
    OPT_VERSION,
    OPT_POINT,
};

static const struct option options[] = {
    {"preset", required_argument, NULL, OPT_PRESET},
    {"workload", required_argument, NULL, OPT_WORKLOAD},
    {"executor", required_argument, NULL, OPT_EXECUTOR},
    {"workers", required_argument, NULL, OPT_WORKERS},
    {"tasks", required_argument, NULL, OPT_TASKS},
    {"pin", required_argument, NULL, OPT_PIN},
    {"cpuset", required_argument, NULL, OPT_CPUSET},
    {"param", required_argument, NULL, OPT_PARAM},
    {"repetitions", required_argument, NULL, OPT_REPETITIONS},
    {"warmup", required_argument, NULL, OPT_WARMUP},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"seed", required_argument, NULL, OPT_SEED},
    {"coro-backend", required_argument, NULL, OPT_CORO_BACKEND},
    {"out", required_argument, NULL, OPT_OUT},
    {"repeat-run", required_argument, NULL, OPT_REPEAT_RUN},
    {"micro", optional_argument, NULL, OPT_MICRO},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"list", no_argument, NULL, OPT_LIST},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {"point", no_argument, NULL, OPT_POINT}, /* hidden: the parent's child */
    {NULL, 0, NULL, 0},
};

/* The text keeps the layout it prints with. */
/* clang-format off */
void eb_cli_help(FILE *f)
{
    fprintf(
        f,
        "usage: execbench [--preset NAME | PLAN FLAGS] [OPTIONS]\n"
        "\n"
        "Runs workloads under executors, each point in a fresh process timed by Google\n"
        "Benchmark, and writes one Google-Benchmark-compatible JSON document.\n"
        "With no plan flags and no --preset, runs the default preset.\n"
        "\n"
        "Plan (the cross product of the lists; LIST is comma-separated):\n"
        "  --preset NAME          quick, default or seeds (--list describes them);\n"
        "                         cannot be combined with the plan flags below\n"
        "  --workload LIST        workloads, or all (default: all, i.e. cpu.sumsq,io.sleep,\n"
        "                         mix.waitsum; the test.* fault injectors only when named)\n"
        "  --executor LIST        sequential, threaded, coroutine, multiprocess, hybrid,\n"
        "                         or all (default: all)\n"
        "  --workers LIST         workers per point, or auto (default: auto = 1 for\n"
        "                         sequential, 0 = unbounded for coroutine and hybrid (its\n"
        "                         coroutines in flight; its threads are one per core),\n"
        "                         one per core otherwise); sequential always uses 1\n"
        "  --tasks LIST           tasks per point, 1..%" PRId64 " (default: the workload's\n"
        "                         own: cpu.sumsq 20, io.sleep 160, mix.waitsum 100)\n"
        "  --pin LIST             none, compact, scatter or pu (default: compact)\n"
        "  --cpuset LIST          pin worker i to the i-th CPU of LIST, e.g. 0-1 or 0,2\n"
        "                         (default: none; replaces --pin)\n"
        "  --param KEY=V[,V...]   a workload parameter, repeatable (default: the\n"
        "                         workload's; --list shows them with bounds and units)\n"
        "\n"
        "Measurement:\n"
        "  --repetitions N        timed runs per point, 1..%d (default: %d, or the\n"
        "                         preset's: quick 3, default 10, seeds 3)\n"
        "  --warmup N             untimed, verified runs before them, 0..%d (default: %d)\n"
        "  --timeout SECONDS      per point, warm-up included (default: %d)\n"
        "  --seed N               seed for workloads with randomness (default: %d)\n"
        "  --coro-backend NAME    fcontext or ucontext (default: fcontext)\n"
        "\n"
        "Output:\n"
        "  --out FILE             the results file, replaced whole when the run ends (a\n"
        "                         symbolic link: its target, in the target's folder); a\n"
        "                         device, FIFO or socket is written through, never\n"
        "                         replaced (/dev/null discards the document); - or\n"
        "                         /dev/stdout puts the document alone on stdout, the\n"
        "                         table then on stderr (default: a new file\n"
        "                         results/<host>-<YYYYmmdd-HHMMSS>.json, with -2, -3, ...\n"
        "                         when that name exists, copied to results/latest.json;\n"
        "                         a run interrupted or without a finished point goes to\n"
        "                         results/latest-interrupted.json instead)\n"
        "  --repeat-run N         run the whole plan N times, 1..%d, each run its own\n"
        "                         document (FILE-runK.json; a device, FIFO or stdout\n"
        "                         takes them in turn); checks every run measured the\n"
        "                         same points and reports the parent's open files and\n"
        "                         memory from first to last (a soak; default: 1)\n"
        "  --micro[=FILTER]       also run execbench-micro (beside this program) and fold\n"
        "                         its micro.* rows into the document; FILTER is its\n"
        "                         --benchmark_filter regex (default: off; all when given)\n"
        "  --quiet                no progress on stderr and no table\n"
        "  --list                 list workloads, parameters, executors, pin policies and\n"
        "                         presets, then exit\n"
        "  -h, --help             this text\n"
        "  --version              the version and build\n"
        "\n"
        "Progress goes to stderr: each line names the point (k of N), the run's time so far\n"
        "and an estimate of what is left. On a terminal a live line shows the repetition\n"
        "under way, and every line fits the terminal's width; through a pipe, a line per\n"
        "finished point and one every 10 s while a point runs.\n"
        "\n"
        "Long options are taken by their whole names only (--workers, not --worker).\n"
        "\n"
        "Exit status: 0 all points ran and verified; 1 some point or the --micro step\n"
        "failed (it is in the document as an error entry); 2 bad command line; 128+N\n"
        "interrupted by signal N (what finished is written, the document marked\n"
        "interrupted).\n",
        EB_MAX_TASKS, EB_MAX_REPETITIONS, EB_DEFAULT_REPETITIONS, EB_MAX_WARMUP,
        EB_DEFAULT_WARMUP, EB_DEFAULT_TIMEOUT_S, EB_DEFAULT_SEED, EB_MAX_REPEAT_RUNS);
}
/* clang-format on */

void eb_cli_list(FILE *f)
{
    fprintf(f, "workloads:\n");
    for (size_t i = 0; i < eb_workload_count; i++) {
        const eb_workload *w = eb_workloads[i];
        fprintf(f, "  %-16s %s%s (default tasks %" PRIu64 ")\n", w->name, w->description,
                w->hidden ? " [tests only]" : "", w->default_tasks);
        for (size_t p = 0; p < w->param_count; p++) {
            const eb_param_def *d = &w->params[p];
            fprintf(f, "    %-14s default %" PRId64 ", %" PRId64 "..%" PRId64 " %s: %s\n", d->key,
                    d->default_value, d->min, d->max, d->unit, d->help);
        }
    }
    fprintf(f, "executors:\n");
    for (size_t i = 0; i < eb_executor_count; i++)
        fprintf(f, "  %-16s %s\n", eb_executors[i]->name, eb_executors[i]->description);
    fprintf(f, "pin policies:\n"
               "  none             the OS decides\n"
               "  compact          one worker per physical core in order, SMT siblings last\n"
               "  scatter          spread across packages / NUMA nodes / L3 first\n"
               "  pu               one worker per hardware thread, in order\n"
               "  (--cpuset LIST)  the CPUs of the list, in order\n");
    fprintf(f, "presets:\n");
    for (size_t i = 0; i < eb_preset_count; i++)
        fprintf(f, "  %-16s %s\n", eb_presets[i].name, eb_presets[i].description);
}

static int fail(char *why, size_t why_len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *why, size_t why_len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, why_len, fmt, ap);
    va_end(ap);
    return -EINVAL;
}

/* A list flag (--workload a,b): given once, with all its values. */
static int set_once(const char **slot, const char *value, const char *flag, char *why,
                    size_t why_len)
{
    if (*slot != NULL)
        return fail(why, why_len, "%s is given twice; give one comma-separated list: %s a,b", flag,
                    flag);
    *slot = value;
    return 0;
}

/* The argv element getopt_long just read an option from: the one before the
 * value when the value came as the next element. */
static const char *option_element(char **argv)
{
    if (optarg != NULL && optind >= 2 && optarg == argv[optind - 1]) return argv[optind - 2];
    return argv[optind - 1];
}

/* " (did you mean --workers?)" for a long option name that is none of ours. */
static void suggest_option(const char *element, char *buf, size_t len)
{
    char name[80];
    const char *start = strncmp(element, "--", 2) == 0 ? element + 2 : element;
    snprintf(name, sizeof name, "%.*s", (int)strcspn(start, "="), start);
    eb_suggest s;
    eb_suggest_init(&s, name);
    for (const struct option *o = options; o->name != NULL; o++)
        if (o->val != OPT_POINT) eb_suggest_consider(&s, o->name);
    eb_suggest_text(&s, "--", buf, len);
}

/* A list flag takes its values in one list (set_once); a flag of one value
 * or a list of CPUs (--cpuset) once. */
static bool takes_a_list(int opt)
{
    return opt == OPT_WORKLOAD || opt == OPT_EXECUTOR || opt == OPT_WORKERS || opt == OPT_TASKS ||
           opt == OPT_PIN || opt == OPT_PARAM;
}

/* The option getopt_long just returned, as given: its exact name (getopt_long
 * takes any unique start of a name, "--worker" for --workers, which ran the
 * default preset), and a flag of one value not given before. `given` holds
 * each flag's value so far. */
static int check_given(char **argv, int opt, int index, const char **given, char *why,
                       size_t why_len)
{
    const char *element = option_element(argv);
    const char *name = element + 2;
    size_t len = strcspn(name, "=");
    if (strncmp(element, "--", 2) != 0 || len != strlen(options[index].name) ||
        strncmp(name, options[index].name, len) != 0) {
        char hint[200];
        suggest_option(element, hint, sizeof hint);
        return fail(why, why_len, "unknown option '%.*s'%s; see --help", (int)(len + 2), element,
                    hint);
    }
    if (options[index].has_arg == no_argument || takes_a_list(opt)) return 0;
    const char **seen = &given[opt - OPT_PRESET];
    const char *value = optarg != NULL ? optarg : "";
    if (*seen == NULL) {
        *seen = value;
        return 0;
    }
    if (**seen != '\0' && *value != '\0')
        return fail(why, why_len,
                    "--%s is given twice (%s, then %s); it takes one value: give it once",
                    options[index].name, *seen, value);
    return fail(why, why_len, "--%s is given twice; it takes one value: give it once",
                options[index].name);
}

/* --micro's filter is libbenchmark's --benchmark_filter: an extended regex,
 * "all", and a leading '-' for "all but". Checked here so a typo stops the
 * run before its first point, not after its last. */
static int check_micro_filter(const char *filter, char *why, size_t why_len)
{
    const char *re = filter[0] == '-' ? filter + 1 : filter;
    if (strcmp(re, "all") == 0) return 0;
    regex_t compiled;
    int rc = regcomp(&compiled, re, REG_EXTENDED | REG_NOSUB);
    if (rc == 0) {
        regfree(&compiled);
        return 0;
    }
    char error[200];
    regerror(rc, &compiled, error, sizeof error);
    return fail(why, why_len,
                "--micro='%s' is not a POSIX extended regex: %s; fix the filter or give --micro "
                "alone for every micro benchmark",
                filter, error);
}

static int parse_int_flag(const char *flag, const char *text, int64_t min, int64_t max,
                          int64_t *out, char *why, size_t why_len)
{
    int rc = eb_parse_i64(text, min, max, out);
    if (rc == -EINVAL)
        return fail(why, why_len, "%s: '%s' is not a whole number; use %" PRId64 " to %" PRId64,
                    flag, text, min, max);
    if (rc == -ERANGE)
        return fail(why, why_len, "%s: %s is out of range; use %" PRId64 " to %" PRId64, flag, text,
                    min, max);
    return 0;
}

int eb_cli_parse(int argc, char **argv, eb_cli *cli, char *why, size_t why_len)
{
    memset(cli, 0, sizeof *cli);
    eb_plan plan_defaults;
    eb_plan_init(&plan_defaults);
    cli->settings = plan_defaults.settings;
    cli->block.params = cli->params;

    opterr = 0;
    /* 0, not 1: glibc then forgets where it was in the previous argv (a
     * half-read "-xyz" would otherwise be read on, in freed memory). */
    optind = 0;
    int opt, rc = 0, index;
    int64_t v;
    /* What each single-valued flag was given as, to refuse a second one. */
    const char *given[OPT_POINT - OPT_PRESET + 1] = {NULL};
    while (rc == 0 && (opt = getopt_long(argc, argv, ":h", options, &index)) != -1) {
        if (opt >= OPT_PRESET && opt <= OPT_POINT)
            rc = check_given(argv, opt, index, given, why, why_len);
        if (rc != 0) break;
        switch (opt) {
        case OPT_PRESET:
            if (eb_preset_find(optarg) == NULL) {
                eb_suggest s;
                eb_suggest_init(&s, optarg);
                for (size_t i = 0; i < eb_preset_count; i++)
                    eb_suggest_consider(&s, eb_presets[i].name);
                char hint[160];
                eb_suggest_text(&s, "", hint, sizeof hint);
                rc = fail(why, why_len,
                          "--preset: unknown preset '%s'%s; use quick, default or seeds", optarg,
                          hint);
            } else {
                cli->preset = optarg;
            }
            break;
        case OPT_WORKLOAD:
            rc = set_once(&cli->block.workloads, optarg, "--workload", why, why_len);
            cli->plan_flags = true;
            break;
        case OPT_EXECUTOR:
            rc = set_once(&cli->block.executors, optarg, "--executor", why, why_len);
            cli->plan_flags = true;
            break;
        case OPT_WORKERS:
            rc = set_once(&cli->block.workers, optarg, "--workers", why, why_len);
            cli->plan_flags = true;
            break;
        case OPT_TASKS:
            rc = set_once(&cli->block.tasks, optarg, "--tasks", why, why_len);
            cli->plan_flags = true;
            break;
        case OPT_PIN:
            rc = set_once(&cli->block.pin, optarg, "--pin", why, why_len);
            cli->plan_flags = true;
            break;
        case OPT_CPUSET:
            cli->block.cpuset = optarg; /* one set of CPUs: given twice is refused above */
            cli->plan_flags = true;
            break;
        case OPT_PARAM:
            if (cli->block.param_count == EB_CLI_MAX_PARAMS)
                rc = fail(why, why_len, "--param: more than %d given", EB_CLI_MAX_PARAMS);
            else
                cli->params[cli->block.param_count++] = optarg;
            cli->plan_flags = true;
            break;
        case OPT_REPETITIONS:
            rc = parse_int_flag("--repetitions", optarg, 1, EB_MAX_REPETITIONS, &v, why, why_len);
            cli->settings.repetitions = (int)v;
            cli->repetitions_given = true;
            break;
        case OPT_WARMUP:
            rc = parse_int_flag("--warmup", optarg, 0, EB_MAX_WARMUP, &v, why, why_len);
            cli->settings.warmup = (int)v;
            break;
        case OPT_TIMEOUT: {
            int trc = eb_parse_seconds(optarg, EB_MAX_TIMEOUT_S, &cli->settings.timeout_ns);
            if (trc != 0)
                rc = fail(why, why_len,
                          "--timeout: '%s' is not a number of seconds above 0 and up to %.0f, "
                          "e.g. --timeout 120 or 0.5",
                          optarg, EB_MAX_TIMEOUT_S);
            break;
        }
        case OPT_SEED:
            rc = parse_int_flag("--seed", optarg, 0, INT64_MAX, &v, why, why_len);
            cli->settings.seed = (uint64_t)v;
            break;
        case OPT_CORO_BACKEND:
            if (strcmp(optarg, "fcontext") == 0)
                cli->settings.coro_backend = EB_CORO_FCONTEXT;
            else if (strcmp(optarg, "ucontext") == 0)
                cli->settings.coro_backend = EB_CORO_UCONTEXT;
            else {
                eb_suggest s;
                eb_suggest_init(&s, optarg);
                eb_suggest_consider(&s, "fcontext");
                eb_suggest_consider(&s, "ucontext");
                char hint[160];
                eb_suggest_text(&s, "", hint, sizeof hint);
                rc = fail(why, why_len,
                          "--coro-backend: unknown backend '%s'%s; use fcontext or ucontext",
                          optarg, hint);
            }
            break;
        case OPT_OUT:
            if (*optarg == '\0')
                rc = fail(why, why_len, "--out: the file name is empty");
            else
                cli->out = optarg;
            break;
        case OPT_REPEAT_RUN:
            rc = parse_int_flag("--repeat-run", optarg, 1, EB_MAX_REPEAT_RUNS, &v, why, why_len);
            cli->repeat_runs = (int)v;
            break;
        case OPT_MICRO:
            cli->micro = true;
            if (optarg != NULL && *optarg == '\0')
                rc = fail(why, why_len,
                          "--micro=: the filter is empty; use --micro or --micro=REGEX");
            else if (optarg != NULL)
                rc = check_micro_filter(optarg, why, why_len);
            cli->micro_filter = optarg;
            break;
        case OPT_QUIET:
            cli->quiet = true;
            break;
        case OPT_LIST:
            cli->list = true;
            break;
        case 'h':
        case OPT_HELP:
            cli->help = true;
            break;
        case OPT_VERSION:
            cli->version = true;
            break;
        case OPT_POINT:
            cli->point = true;
            break;
        case ':':
            rc = fail(why, why_len, "%s needs a value; see --help", argv[optind - 1]);
            break;
        default: {
            const char *bad = argv[optind - 1];
            char hint[200];
            if (optopt != 0 && optopt < 256 && strncmp(bad, "--", 2) != 0) {
                rc = fail(why, why_len, "unknown option '-%c'; see --help", optopt);
            } else if (optopt >= OPT_PRESET && optopt <= OPT_POINT && strchr(bad, '=') != NULL) {
                rc = fail(why, why_len, "%.*s takes no value; give it alone",
                          (int)strcspn(bad, "="), bad);
            } else {
                /* an unknown name, or the start of several ("--work") */
                suggest_option(bad, hint, sizeof hint);
                rc = fail(why, why_len, "unknown option '%.*s'%s; see --help",
                          (int)strcspn(bad, "="), bad, hint);
            }
        }
        }
    }
    if (rc == 0 && optind < argc)
        rc = fail(why, why_len, "unexpected argument '%s'; flags take --name VALUE, see --help",
                  argv[optind]);
    if (rc == 0 && cli->preset != NULL && cli->plan_flags)
        rc = fail(why, why_len,
                  "--preset %s cannot be combined with --workload, --executor, --workers, "
                  "--tasks, --pin, --cpuset or --param; use one or the other",
                  cli->preset);
    if (rc != 0) eb_one_line(why);
    return rc;
}

int eb_cli_plan(const eb_cli *cli, const eb_topology *topo, FILE *notes, eb_plan *plan, char *why,
                size_t why_len)
{
    plan->settings = cli->settings;
    int rc;
    if (cli->preset != NULL || !cli->plan_flags)
        rc = eb_plan_add_preset(plan, eb_preset_find(cli->preset ? cli->preset : "default"),
                                cli->repetitions_given, topo, notes, why, why_len);
    else
        rc = eb_plan_add_block(plan, &cli->block, topo, notes, why, why_len);
    if (rc != 0) eb_one_line(why);
    return rc;
}
