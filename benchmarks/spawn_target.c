/* spawn_target.c — the tiny program micro.spawn/posix_spawn starts: exits with
 * 42 when given the one argument "4", so the benchmark can tell it really ran
 * with what it was given. */
int main(int argc, char **argv)
{
    return argc == 2 && argv[1][0] == '4' && argv[1][1] == '\0' ? 42 : 1;
}
