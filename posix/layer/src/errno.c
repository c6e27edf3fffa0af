/*
 * errno translation: the kernel answers Linux's values (docs/abi.md rule 2), picolibc and the
 * apps built against its <errno.h> use newlib's. The translation is the generated
 * bk_errno_from_linux (<bkport/abi_translate.h>, from the spec's define lines, like every
 * Linux value the layer and the kernel use); this file keeps one out-of-line copy of that
 * switch so bk_fix() at each call site stays a call, not a 130-case switch.
 */
#include <bkport/abi_translate.h>

#include "internal.h"

int __bk_errno_from_linux(int e)
{
    return bk_errno_from_linux(e);
}
