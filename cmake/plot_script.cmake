# Writes OUT, the installed plot command (execbench-plot), from IN (tools/plot.py)
# with its first line replaced by "#!PYTHON": the interpreter that has
# matplotlib on the target system (Debian: /usr/bin/python3 with
# python3-matplotlib), not whichever python3 is first on a user's PATH.
file(READ "${IN}" text)
string(FIND "${text}" "\n" eol)
string(SUBSTRING "${text}" ${eol} -1 rest)
file(WRITE "${OUT}.tmp" "#!${PYTHON}${rest}")
file(CHMOD "${OUT}.tmp" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
     GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
file(RENAME "${OUT}.tmp" "${OUT}")
