/* getopt, getopt_long, getopt_long_only: the layer's own, in place of picolibc's.
 *
 * picolibc's getopt takes a lone "-" (stdin, by convention) for an option character, so
 * `cat foo -` fails with "invalid option", and it keeps its position in a static that only an
 * `optind = 0` reset initialises. Linux programs expect glibc's behaviour: "-" is an operand,
 * "--" ends the options, `optind = 0` (or `optreset = 1`) restarts the scan, operands are
 * permuted to the end unless the option string starts with '+' or POSIXLY_CORRECT is set, and a
 * leading '-' returns operands in order as the argument of option 1. This file gives exactly
 * that; POSIX's getopt is the '+' / POSIXLY_CORRECT case of it.
 *
 * Defining optind, optarg, opterr and optopt here keeps picolibc's getopt.o out of the link
 * (the layer's archive is searched first), so there is one getopt state, not two. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *optarg;
int optind = 1;
int opterr = 1;
int optopt = '?';
int optreset;

static char *nextchar;      /* the rest of a cluster of short options being scanned */
static int first_nonopt = 1; /* operands skipped so far lie in [first_nonopt, last_nonopt) */
static int last_nonopt = 1;

enum order { PERMUTE, REQUIRE_ORDER, RETURN_IN_ORDER };

/* Move the skipped operands [first_nonopt, last_nonopt) after the options that followed them,
 * [last_nonopt, optind), keeping both groups' order. */
static void exchange(char **argv)
{
    int a = first_nonopt, b = last_nonopt, c = optind;
    while (a < b && b < c) {
        /* rotate [a, c) left by (b - a), one element at a time: arrays are short */
        char *t = argv[a];
        memmove(&argv[a], &argv[a + 1], (size_t)(c - a - 1) * sizeof *argv);
        argv[c - 1] = t;
        b--;
    }
    first_nonopt += optind - last_nonopt;
    last_nonopt = optind;
}

static int is_operand(const char *s)
{
    return s[0] != '-' || s[1] == '\0';
}

static int report; /* opterr, and no ':' leading the option string */

static void complain(const char *prog, const char *fmt, const char *what, int c)
{
    if (!report)
        return;
    fprintf(stderr, "%s: ", prog);
    if (what)
        fprintf(stderr, fmt, what);
    else
        fprintf(stderr, fmt, c);
    fputc('\n', stderr);
}

/* A long option at argv[optind] + skip ("--name[=value]" with skip 2, "-name" with skip 1).
 * Returns its result, or -2 when getopt_long_only should try it as short options instead. */
static int long_option(int argc, char **argv, const char *shortopts,
                       const struct option *longopts, int *longind, int skip, int only,
                       int colon)
{
    char *name = argv[optind] + skip;
    size_t len = strcspn(name, "=");
    const struct option *found = NULL;
    int ambiguous = 0, index = -1;
    for (int i = 0; longopts[i].name; i++) {
        if (strncmp(longopts[i].name, name, len) != 0)
            continue;
        if (strlen(longopts[i].name) == len) { /* exact match wins */
            found = &longopts[i];
            index = i;
            ambiguous = 0;
            break;
        }
        if (!found) {
            found = &longopts[i];
            index = i;
        } else if (found->has_arg != longopts[i].has_arg || found->flag != longopts[i].flag
                   || found->val != longopts[i].val) {
            ambiguous = 1;
        }
    }
    if (ambiguous) {
        complain(argv[0], "option '%s' is ambiguous", argv[optind], 0);
        nextchar = NULL;
        optind++;
        optopt = 0;
        return '?';
    }
    if (!found) {
        /* getopt_long_only: "-x" that is no long option may still be short options */
        if (only && skip == 1 && strchr(shortopts, name[0]))
            return -2;
        complain(argv[0], "unrecognized option '%s'", argv[optind], 0);
        nextchar = NULL;
        optind++;
        optopt = 0;
        return '?';
    }
    optind++;
    nextchar = NULL;
    if (name[len] == '=') {
        if (found->has_arg == no_argument) {
            complain(argv[0], "option '--%s' doesn't allow an argument", found->name, 0);
            optopt = found->flag ? 0 : found->val;
            return '?';
        }
        optarg = name + len + 1;
    } else if (found->has_arg == required_argument) {
        if (optind >= argc) {
            complain(argv[0], "option '--%s' requires an argument", found->name, 0);
            optopt = found->flag ? 0 : found->val;
            return colon ? ':' : '?';
        }
        optarg = argv[optind++];
    } else {
        optarg = NULL;
    }
    if (longind)
        *longind = index;
    if (found->flag) {
        *found->flag = found->val;
        return 0;
    }
    return found->val;
}

static int scan(int argc, char *const argv_in[], const char *opts,
                const struct option *longopts, int *longind, int only)
{
    char **argv = (char **)argv_in; /* permuting is the documented GNU behaviour */
    enum order order = PERMUTE;
    if (optind == 0 || optreset) {
        optind = 1;
        optreset = 0;
        nextchar = NULL;
        first_nonopt = last_nonopt = 1;
    }
    if (*opts == '+') {
        order = REQUIRE_ORDER;
        opts++;
    } else if (*opts == '-') {
        order = RETURN_IN_ORDER;
        opts++;
    } else if (getenv("POSIXLY_CORRECT")) {
        order = REQUIRE_ORDER;
    }
    int colon = *opts == ':';
    if (colon)
        opts++;
    report = opterr && !colon;
    optarg = NULL;

    if (!nextchar || !*nextchar) {
        nextchar = NULL;
        /* optind may have been moved by the caller: keep the operand window inside it */
        if (last_nonopt > optind)
            last_nonopt = optind;
        if (first_nonopt > optind)
            first_nonopt = optind;
        if (order == PERMUTE) {
            if (first_nonopt != last_nonopt && last_nonopt != optind)
                exchange(argv);
            else if (last_nonopt != optind)
                first_nonopt = optind;
            while (optind < argc && is_operand(argv[optind]))
                optind++;
            last_nonopt = optind;
        }
        if (optind != argc && strcmp(argv[optind], "--") == 0) {
            optind++;
            if (first_nonopt != last_nonopt && last_nonopt != optind)
                exchange(argv);
            else if (first_nonopt == last_nonopt)
                first_nonopt = optind;
            last_nonopt = argc;
            optind = argc;
        }
        if (optind == argc) {
            if (first_nonopt != last_nonopt)
                optind = first_nonopt; /* the operands, now at the end */
            return -1;
        }
        if (is_operand(argv[optind])) {
            if (order == REQUIRE_ORDER)
                return -1;
            optarg = argv[optind++]; /* RETURN_IN_ORDER */
            return 1;
        }
        if (longopts && argv[optind][1] == '-')
            return long_option(argc, argv, opts, longopts, longind, 2, only, colon);
        /* getopt_long_only: "-x" with x a short option stays short, as in glibc */
        if (longopts && only && (argv[optind][2] || !strchr(opts, argv[optind][1]))) {
            int r = long_option(argc, argv, opts, longopts, longind, 1, only, colon);
            if (r != -2)
                return r;
        }
        nextchar = argv[optind] + 1;
    }

    int c = (unsigned char)*nextchar++;
    const char *spec = c == ':' ? NULL : strchr(opts, c);
    if (!*nextchar)
        optind++;
    if (!spec) {
        optopt = c;
        complain(argv[0], "invalid option -- '%c'", NULL, c);
        return '?';
    }
    if (spec[1] == ':') {
        if (*nextchar) { /* "-ovalue" */
            optarg = nextchar;
            optind++;
        } else if (spec[2] == ':') { /* optional argument: only when attached */
            optarg = NULL;
        } else if (optind < argc) {
            optarg = argv[optind++];
        } else {
            optopt = c;
            nextchar = NULL;
            complain(argv[0], "option requires an argument -- '%c'", NULL, c);
            return colon ? ':' : '?';
        }
        nextchar = NULL;
    }
    return c;
}

int getopt(int argc, char *const argv[], const char *optstring)
{
    return scan(argc, argv, optstring, NULL, NULL, 0);
}

int getopt_long(int argc, char *const argv[], const char *shortopts,
                const struct option *longopts, int *longind)
{
    return scan(argc, argv, shortopts, longopts, longind, 0);
}

int getopt_long_only(int argc, char *const argv[], const char *shortopts,
                     const struct option *longopts, int *longind)
{
    return scan(argc, argv, shortopts, longopts, longind, 1);
}
