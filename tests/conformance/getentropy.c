/* getentropy() (<unistd.h>, POSIX.1-2024) and arc4random_buf, which picolibc seeds from it:
 * buffers filled, two draws differ, byte values spread, more than 256 bytes EINVAL. The
 * conformance driver runs this as `conform getentropy`. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conform.h"

int main(void)
{
    unsigned char a[256], b[256];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    CHECK(getentropy(a, sizeof a) == 0, "getentropy: getentropy of 256 bytes");
    CHECK(getentropy(b, sizeof b) == 0, "getentropy: again");
    CHECK(memcmp(a, b, sizeof a) != 0, "getentropy: two draws differ");
    int seen[256] = { 0 }, distinct = 0, zeros = 0;
    for (unsigned i = 0; i < sizeof a; i++) {
        distinct += !seen[a[i]]++;
        zeros += !a[i];
    }
    /* 256 uniform bytes have about 162 distinct values; fewer than 100 means a broken mixer */
    CHECK(distinct > 100, "getentropy: the bytes spread over many values");
    CHECK(zeros < 16, "getentropy: the buffer is filled, not left zero");
    unsigned char c[3] = { 0, 0, 0 };
    CHECK(getentropy(c, 3) == 0 && (c[0] | c[1] | c[2]), "getentropy: a 3-byte request");
    CHECK(getentropy(c, 0) == 0, "getentropy: a 0-byte request");
    CHECK_ERR(getentropy(a, 257), EINVAL, "getentropy: 257 bytes: EINVAL");
    unsigned char r1[16], r2[16];
    arc4random_buf(r1, sizeof r1);
    arc4random_buf(r2, sizeof r2);
    CHECK(memcmp(r1, r2, sizeof r1) != 0, "getentropy: arc4random_buf works (seeded by getentropy)");
    CONFORM_DONE();
}
