#include <stdio.h>
#include <string.h>
#include "common.h"

/* Counts the lines of each file named, writes the total to counts.txt. */
int main(int argc, char **argv) {
    long total = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        int c;
        long n = 0;
        if (!f) {
            perror(argv[i]);
            return 1;
        }
        while ((c = fgetc(f)) != EOF)
            n += c == '\n';
        fclose(f);
        printf("%s: %ld\n", argv[i], n);
        total += n;
    }
    FILE *out = fopen("counts.txt", "w");
    if (!out)
        return 2;
    fprintf(out, "total %ld\n", total);
    fclose(out);
    say("done");
    return 0;
}
