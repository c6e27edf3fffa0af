/* Hello world: program start, argv, stdout through picolibc's stdio, exit status. */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("Hello, world!\n");
    printf("argc %d argv[0] %s\n", argc, argc > 0 ? argv[0] : "(none)");
    return 0;
}
