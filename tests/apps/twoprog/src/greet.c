#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"

int main(int argc, char **argv) {
    char line[256];
    const char *who = getenv("WHO");
    say(GREETING);
    for (int i = 1; i < argc; i++)
        printf("arg %d: %s\n", i, argv[i]);
    printf("who: %s\n", who ? who : "(unset)");
    while (fgets(line, sizeof line, stdin))
        printf("stdin: %s", line);
    if (argc > 1 && strcmp(argv[1], "fail") == 0) {
        fprintf(stderr, "%s: asked to fail\n", argv[0]);
        return 3;
    }
    return 0;
}
