/*
 * bkport's native walk helper (bkport.analyze.flatten compiles it with the host clang into the
 * cache on first use). It lays a libclang cursor's subtree out in preorder: the cursors, their
 * kinds, and for each the index just past its own subtree. Done in Python, one ctypes callback
 * per AST node was most of an analysis's time on a small tree.
 *
 * No libclang header is needed: CXCursor's layout and clang_visitChildren's signature are part
 * of libclang's stable C ABI, and the caller passes clang_visitChildren's address, so this
 * library links against nothing.
 */
#include <string.h>

typedef struct {
    int kind;
    int xdata;
    const void *data[3];
} CXCursor;

typedef int (*visitor_fn)(CXCursor cursor, CXCursor parent, void *client_data);
typedef CXCursor (*referenced_fn)(CXCursor cursor);
typedef int (*linkage_fn)(CXCursor cursor);
typedef unsigned (*visit_children_fn)(CXCursor parent, visitor_fn visitor, void *client_data);

struct flat {
    CXCursor root;
    CXCursor *cur; /* [cap] */
    int *kind;     /* [cap] */
    int *end;      /* [cap] */
    int *open;     /* [cap] indexes of nodes whose subtree is still being visited */
    int n, cap, depth, status;
};

enum { FLAT_OK = 0, FLAT_FULL = 1, FLAT_LOST = 2 };

static int same(const CXCursor *a, const CXCursor *b)
{
    return memcmp(a, b, sizeof *a) == 0;
}

static int visit(CXCursor child, CXCursor parent, void *p)
{
    struct flat *f = p;
    while (f->depth > 0 && !same(&f->cur[f->open[f->depth - 1]], &parent)) {
        f->depth--;
        f->end[f->open[f->depth]] = f->n;
    }
    if (f->depth == 0 && !same(&f->root, &parent)) {
        f->status = FLAT_LOST; /* a parent that is no node of ours: not a preorder visit */
        return 0;              /* CXChildVisit_Break */
    }
    if (f->n == f->cap) {
        f->status = FLAT_FULL;
        return 0;
    }
    int i = f->n++;
    f->cur[i] = child;
    f->kind[i] = child.kind;
    f->end[i] = 0;
    f->open[f->depth++] = i;
    return 2; /* CXChildVisit_Recurse */
}

/* Fill cur/kind/end with root's descendants; the count, or -1 when cap is too small, -2 when
 * libclang's visit was not a preorder (the caller then walks it the slow way). */
int bk_flatten(visit_children_fn visit_children, const CXCursor *root, CXCursor *cur, int *kind,
               int *end, int *open, int cap)
{
    struct flat f = {*root, cur, kind, end, open, 0, cap, 0, FLAT_OK};
    visit_children(*root, visit, &f);
    if (f.status == FLAT_FULL)
        return -1;
    if (f.status == FLAT_LOST)
        return -2;
    while (f.depth > 0) {
        f.depth--;
        f.end[f.open[f.depth]] = f.n;
    }
    return f.n;
}

/* libclang's cursor kinds and linkages this pass reads (Index.h's CXCursorKind, CXLinkageKind). */
enum { K_FUNCTION_DECL = 8, K_VAR_DECL = 9, K_DECL_REF_EXPR = 101 };
enum { LINK_INTERNAL = 2, LINK_EXTERNAL = 4 };

/* Give every DeclRefExpr that names no function nor global variable (a local, a parameter, an
 * enumerator: most of them) the kind `local`, which the walker passes over: it would look each
 * up only to find it is nobody's business. The same rule as extract.py's decl_info. */
void bk_mark_local_refs(referenced_fn referenced, linkage_fn linkage, const CXCursor *cur,
                        int *kind, int n, int local)
{
    for (int i = 0; i < n; i++) {
        if (kind[i] != K_DECL_REF_EXPR)
            continue;
        CXCursor ref = referenced(cur[i]);
        if (ref.kind == K_FUNCTION_DECL)
            continue;
        if (ref.kind == K_VAR_DECL) {
            int l = linkage(ref);
            if (l == LINK_INTERNAL || l == LINK_EXTERNAL)
                continue;
        }
        kind[i] = local;
    }
}
