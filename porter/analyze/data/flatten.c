/*
 * bkport's native walk helper (bkport.analyze.flatten compiles it with the host clang into the
 * cache on first use). It lays a libclang cursor's subtree out in preorder: the cursors, their
 * kinds, and for each the index just past its own subtree; it walks a definition the way
 * extract.py's _Walker.walk does (bk_walk) and lists a translation unit's definitions
 * (bk_definitions). Done in Python, one ctypes callback per AST node and one Python call per
 * node walked were most of an analysis's time on a small tree.
 *
 * No libclang header is needed: CXCursor's, CXSourceLocation's and CXString's layouts and the
 * entry points' signatures are part of libclang's stable C ABI, and the caller passes the
 * entry points' addresses, so this library links against nothing.
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

/* ---- the walk of a definition ------------------------------------------------------------------
 * extract.py's _Walker.walk, done here over the layout bk_flatten made: it folds constant
 * conditions, follows which code a constant test or a `return` makes dead, and hands back, in
 * the order the Python walk meets them, only the nodes that say something (a use of a global,
 * a call, a type from a system header, a string that may be a /proc or /sys path, an asm
 * statement, a dead part). Python then spends its per-node cost on those alone: on a tree of
 * small code-heavy files (lua) the Python walk cost as much as libclang's parse. */

typedef struct {
    const void *ptr_data[2];
    unsigned int_data;
} CXSourceLocation;

typedef struct {
    const void *data;
    unsigned private_flags;
} CXString;

/* libclang's entry points the walk calls; the caller fills them from the loaded library. */
struct bk_fns {
    visit_children_fn visit_children;
    referenced_fn referenced;
    linkage_fn linkage;
    int (*binary_op)(CXCursor);
    int (*unary_op)(CXCursor);
    void *(*evaluate)(CXCursor);
    int (*eval_kind)(void *);
    long long (*eval_int)(void *);
    void (*eval_dispose)(void *);
    CXSourceLocation (*location)(CXCursor);
    int (*in_system_header)(CXSourceLocation);
    CXString (*spelling)(CXCursor);
    const char *(*cstring)(CXString);
    void (*dispose_string)(CXString);
    unsigned (*is_definition)(CXCursor);
    int (*storage_class)(CXCursor);
    void (*expansion)(CXSourceLocation, void **file, unsigned *line, unsigned *col,
                      unsigned *offset);
    CXSourceLocation (*get_location)(void *tu, void *file, unsigned line, unsigned col);
    void (*get_inclusions)(void *tu,
                           void (*visitor)(void *file, CXSourceLocation *stack, unsigned depth,
                                           void *client),
                           void *client);
    CXCursor null_cursor;
};

/* What bk_walk hands back: the events, each (kind; node; live, or for EV_DEAD the construct
 * the dead node is part of; the referenced cursor of EV_REF/EV_CALL/EV_TYPE; where the node is
 * expanded: file handle, line, column). */
struct bk_events {
    int *kind, *a, *b;
    CXCursor *ref;
    void **file;
    unsigned *line, *col;
    int cap;
};

/* Event kinds (extract.py's EV_*). */
enum { EV_REF = 1, EV_CALL = 2, EV_TYPE = 3, EV_STRING = 4, EV_ASM = 5, EV_DEAD = 6 };

enum {
    K_STRUCT = 2, K_UNION = 3, K_TYPE_REF = 43, K_UNEXPOSED_EXPR = 100, K_CALL = 103,
    K_INT_LIT = 106, K_STRING = 109, K_PAREN = 111, K_UNARY = 112, K_BINARY = 114,
    K_COND_OP = 116, K_CAST = 117, K_LABEL = 201, K_COMPOUND = 202, K_CASE = 203,
    K_DEFAULT = 204, K_IF = 205, K_WHILE = 207, K_RETURN = 214, K_ASM = 215, K_MS_ASM = 229
};
enum { BO_LAND = 20, BO_LOR = 21, UO_LNOT = 10, EVAL_INT = 1 };
enum { WALK_ODD = -3 }; /* a shape the Python walk would fail on: let it, the same way */

struct walk {
    const struct bk_fns *fn;
    const CXCursor *cur;
    const int *kind, *end, *nxt;
    struct bk_events *ev;
    int n_ev, status;
};

static int walked(int k)
{
    switch (k) {
    case K_DECL_REF_EXPR: case K_RETURN: case K_COMPOUND: case K_BINARY: case K_CALL:
    case K_TYPE_REF: case K_STRING: case K_ASM: case K_MS_ASM: case K_IF: case K_COND_OP:
    case K_WHILE:
        return 1;
    }
    return 0;
}

static void event(struct walk *w, int kind, int a, int b, const CXCursor *ref)
{
    struct bk_events *ev = w->ev;
    int e = w->n_ev;
    if (e == ev->cap) {
        w->status = FLAT_FULL;
        return;
    }
    ev->kind[e] = kind;
    ev->a[e] = a;
    ev->b[e] = b;
    if (ref)
        ev->ref[e] = *ref;
    if (kind == EV_REF || kind == EV_CALL) /* nearly every one is recorded at its node */
        w->fn->expansion(w->fn->location(w->cur[a]), &ev->file[e], &ev->line[e], &ev->col[e], 0);
    w->n_ev++;
}

/* node i's children: up to max of them into out; their number */
static int kids(const struct walk *w, int i, int *out, int max)
{
    int n = 0;
    for (int j = i + 1; j < w->end[i]; j = w->end[j]) {
        if (n < max)
            out[n] = j;
        n++;
    }
    return n;
}

/* extract.py's fold: 1 and *v the constant value of a condition, or 0 (not constant) */
static int fold(struct walk *w, int i, long long *v)
{
    int k = w->kind[i];
    int ch[2];
    if (k == K_PAREN || k == K_UNEXPOSED_EXPR || k == K_CAST) {
        int last = -1;
        for (int j = i + 1; j < w->end[i]; j = w->end[j])
            last = j;
        return last >= 0 ? fold(w, last, v) : 0;
    }
    if (k == K_BINARY) {
        int op = w->fn->binary_op(w->cur[i]);
        if (op == BO_LAND || op == BO_LOR) {
            if (kids(w, i, ch, 2) != 2) {
                w->status = WALK_ODD;
                return 0;
            }
            long long a = 0, b = 0;
            int ha = fold(w, ch[0], &a), hb = fold(w, ch[1], &b);
            if (op == BO_LAND) {
                if ((ha && a == 0) || (hb && b == 0)) {
                    *v = 0;
                    return 1;
                }
                *v = 1;
                return ha && hb;
            }
            if ((ha && a) || (hb && b)) {
                *v = 1;
                return 1;
            }
            *v = 0;
            return ha && hb && a == 0 && b == 0;
        }
    }
    if (k == K_UNARY && w->fn->unary_op(w->cur[i]) == UO_LNOT) {
        long long x;
        if (w->end[i] > i + 1 && fold(w, i + 1, &x)) {
            *v = !x;
            return 1;
        }
        return 0;
    }
    if (k == K_INT_LIT || k == K_BINARY || k == K_UNARY) {
        void *res = w->fn->evaluate(w->cur[i]);
        int got = 0;
        if (res) {
            if (w->fn->eval_kind(res) == EVAL_INT) {
                *v = w->fn->eval_int(res);
                got = 1;
            }
            w->fn->eval_dispose(res);
        }
        return got;
    }
    return 0;
}

static int walk(struct walk *w, int i, int live);

static void walk_below(struct walk *w, int i, int live)
{
    for (int j = w->nxt[i + 1]; j < w->end[i] && !w->status; j = w->nxt[w->end[j]])
        walk(w, j, live);
}

/* A string literal's spelling that could be a /proc or /sys path (extract.py's PATH_RX
 * decides; this only spares it the others). */
static int maybe_path(const struct walk *w, int i)
{
    CXString s = w->fn->spelling(w->cur[i]);
    const char *p = w->fn->cstring(s);
    int yes = 0;
    if (p) {
        if (*p == 'L')
            p++;
        yes = strncmp(p, "\"/proc", 6) == 0 || strncmp(p, "\"/sys", 5) == 0;
    }
    w->fn->dispose_string(s);
    return yes;
}

/* Record what node i uses; 1 if it certainly returns (so what follows is dead). */
static int walk(struct walk *w, int i, int live)
{
    const int k = w->kind[i];
    if (w->status)
        return 0;
    if (!walked(k)) {
        walk_below(w, i, live);
        return 0;
    }
    switch (k) {
    case K_DECL_REF_EXPR: {
        CXCursor ref = w->fn->referenced(w->cur[i]);
        if (ref.kind == K_FUNCTION_DECL || ref.kind == K_VAR_DECL)
            event(w, EV_REF, i, live, &ref);
        return 0;
    }
    case K_RETURN:
        walk_below(w, i, live);
        return 1;
    case K_COMPOUND: {
        int ended = 0;
        for (int j = i + 1; j < w->end[i] && !w->status; j = w->end[j]) {
            int kj = w->kind[j];
            if (ended && (kj == K_LABEL || kj == K_CASE || kj == K_DEFAULT))
                ended = 0; /* reachable by goto / switch */
            if (ended && live)
                event(w, EV_DEAD, j, i, 0);
            if (walk(w, j, live && !ended))
                ended = 1;
        }
        return ended;
    }
    case K_BINARY: {
        int op = w->fn->binary_op(w->cur[i]);
        if (op == BO_LAND || op == BO_LOR) {
            int ch[2];
            long long val = 0;
            if (kids(w, i, ch, 2) != 2) {
                w->status = WALK_ODD;
                return 0;
            }
            int has = fold(w, ch[0], &val);
            walk(w, ch[0], live);
            int dead = op == BO_LAND ? (has && val == 0) : (has && val != 0);
            if (live && dead)
                event(w, EV_DEAD, ch[1], i, 0);
            walk(w, ch[1], live && !dead);
            return 0;
        }
        break;
    }
    case K_CALL: {
        CXCursor ref = w->fn->referenced(w->cur[i]);
        int j = i + 1;
        if (ref.kind == K_FUNCTION_DECL) {
            event(w, EV_CALL, i, live, &ref);
            if (j < w->end[i])
                j = w->end[j]; /* the callee: the call is its use */
        }
        for (; j < w->end[i] && !w->status; j = w->end[j])
            walk(w, j, live);
        return 0;
    }
    case K_TYPE_REF: {
        CXCursor ref = w->fn->referenced(w->cur[i]);
        if (memcmp(&ref, &w->fn->null_cursor, sizeof ref) != 0
            && w->fn->in_system_header(w->fn->location(ref)))
            event(w, EV_TYPE, i, live, &ref);
        return 0;
    }
    case K_STRING:
        if (maybe_path(w, i))
            event(w, EV_STRING, i, live, 0);
        return 0;
    case K_ASM:
    case K_MS_ASM:
        event(w, EV_ASM, i, live, 0);
        return 0;
    default: { /* K_IF, K_COND_OP, K_WHILE */
        int ch[2], n = kids(w, i, ch, 2);
        if (n >= 2) {
            long long val = 0;
            int has = fold(w, ch[0], &val);
            walk(w, ch[0], live);
            if (live && has && val == 0)
                event(w, EV_DEAD, ch[1], i, 0);
            int then_returns = walk(w, ch[1], live && !(has && val == 0));
            int else_returns = 0;
            for (int j = w->end[ch[1]]; j < w->end[i] && !w->status; j = w->end[j]) {
                if (live && has && val)
                    event(w, EV_DEAD, j, i, 0);
                else_returns = walk(w, j, live && (!has || val == 0));
            }
            if (k != K_IF || !has)
                return k == K_IF && then_returns && else_returns;
            return val ? then_returns : else_returns;
        }
        break;
    }
    }
    walk_below(w, i, live);
    return 0;
}

/* Lay root's subtree out (bk_flatten), mark the references to locals (bk_mark_local_refs) and
 * walk it from the top: the number of events in ev. -1: cur needs more room than cap, or the
 * events more than ev->cap; -2: not a preorder visit; WALK_ODD: a shape for the Python walk.
 * *n_out: the number of nodes; kind/end/nxt keep the layout (nxt: the first walked node at or
 * after each index; cap + 1 of them). */
int bk_walk(const struct bk_fns *fn, const CXCursor *root, CXCursor *cur, int *kind, int *end,
            int *nxt, int cap, struct bk_events *ev, int local, int *n_out)
{
    /* nxt doubles as bk_flatten's stack of open nodes: it is written only afterwards */
    int n = bk_flatten(fn->visit_children, root, cur, kind, end, nxt, cap);
    *n_out = n;
    if (n < 0)
        return n;
    bk_mark_local_refs(fn->referenced, fn->linkage, cur, kind, n, local);
    nxt[n] = n;
    for (int j = n - 1; j >= 0; j--)
        nxt[j] = walked(kind[j]) ? j : nxt[j + 1];
    struct walk w = {fn, cur, kind, end, nxt, ev, 0, 0};
    for (int j = nxt[0]; j < n && !w.status; j = nxt[end[j]])
        walk(&w, j, 1);
    if (w.status == FLAT_FULL)
        return -1;
    if (w.status)
        return w.status;
    return w.n_ev;
}

/* ---- a translation unit's definitions ------------------------------------------------------- */
enum { SC_EXTERN = 2 };

struct defs {
    const struct bk_fns *fn;
    CXCursor *out;
    int n, cap;
};

static int visit_def(CXCursor c, CXCursor parent, void *p)
{
    struct defs *d = p;
    (void)parent;
    if (c.kind != K_FUNCTION_DECL && c.kind != K_VAR_DECL)
        return 1; /* CXChildVisit_Continue */
    if (!d->fn->is_definition(c)
        && (c.kind == K_FUNCTION_DECL || d->fn->storage_class(c) == SC_EXTERN))
        return 1; /* a declaration (tentative definitions `int x;` count as definitions) */
    if (d->fn->in_system_header(d->fn->location(c)))
        return 1;
    if (d->n < d->cap)
        d->out[d->n] = c;
    d->n++;
    return 1;
}

/* The functions and variables a translation unit defines outside system headers, in order
 * (extract.py's _Walker.run picks them so without the helper): their number, which may exceed
 * cap (then only cap were written: call again with more room). */
int bk_definitions(const struct bk_fns *fn, const CXCursor *tu, CXCursor *out, int cap)
{
    struct defs d = {fn, out, 0, cap};
    fn->visit_children(*tu, visit_def, &d);
    return d.n;
}

/* ---- a translation unit's inclusions -------------------------------------------------------- */
enum { INC_FROM_SYSTEM = 1, INC_OF_SYSTEM = 2 };

struct incl {
    const struct bk_fns *fn;
    void *tu;
    void **file, **from;
    int *flags;
    unsigned *line, *col;
    int n, cap;
};

static void visit_incl(void *file, CXSourceLocation *stack, unsigned depth, void *p)
{
    struct incl *d = p;
    if (depth == 0)
        return; /* the main file */
    int i = d->n++;
    if (i >= d->cap)
        return;
    d->file[i] = file;
    d->from[i] = 0;
    d->line[i] = d->col[i] = 0;
    if (d->fn->in_system_header(stack[0])) {
        d->flags[i] = INC_FROM_SYSTEM | INC_OF_SYSTEM;
    } else if (d->fn->in_system_header(d->fn->get_location(d->tu, file, 1, 1))) {
        d->flags[i] = INC_OF_SYSTEM; /* the project includes a system header: from where */
        d->fn->expansion(stack[0], &d->from[i], &d->line[i], &d->col[i], 0);
    } else {
        d->flags[i] = 0;
    }
}

/* Each file tu includes (extract.py's _inclusions): its handle, whether the #include is in a
 * system header (INC_FROM_SYSTEM), whether the file is one (INC_OF_SYSTEM) and, for a project
 * file including a system header, the includer's handle, line and column. The number of
 * inclusions, which may exceed cap (then only cap were written: call again with more room). */
int bk_inclusions(const struct bk_fns *fn, void *tu, void **file, int *flags, void **from,
                  unsigned *line, unsigned *col, int cap)
{
    struct incl d = {fn, tu, file, from, flags, line, col, 0, cap};
    fn->get_inclusions(tu, visit_incl, &d);
    return d.n;
}
