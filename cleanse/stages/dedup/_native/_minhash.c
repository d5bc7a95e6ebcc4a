/* The optional compiled core of the dedup stage: shingle hashes, MinHash signatures, shingle sets.
 *
 * Both functions take buffers (numpy arrays) and compute exactly what the numpy path in
 * cleanse/stages/dedup/minhash.py and verify.py computes; the tests check that the two agree.
 * Permutations follow datasketch's "affine32" scheme: each shingle hash is pre-mixed with the
 * MurmurHash3 32-bit finaliser, then h -> a_k * h + b_k modulo 2**32, and the minimum is kept.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__) && defined(__x86_64__) && defined(__linux__)
#define CLEANSE_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define CLEANSE_CLONES
#endif

static inline uint32_t fmix32(uint32_t h) {
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    h ^= h >> 16;
    return h;
}

#define MAX_PERM 1024

CLEANSE_CLONES
static void signatures_kernel(const uint32_t *hashes, const int64_t *offsets, Py_ssize_t units,
                              const uint32_t *a, const uint32_t *b, Py_ssize_t perms, uint32_t *out) {
    uint32_t sig[MAX_PERM];
    for (Py_ssize_t u = 0; u < units; u++) {
        for (Py_ssize_t k = 0; k < perms; k++) sig[k] = 0xFFFFFFFFu;
        for (int64_t s = offsets[u]; s < offsets[u + 1]; s++) {
            uint32_t h = fmix32(hashes[s]);
            for (Py_ssize_t k = 0; k < perms; k++) {
                uint32_t v = a[k] * h + b[k];
                sig[k] = v < sig[k] ? v : sig[k];
            }
        }
        memcpy(out + u * perms, sig, (size_t)perms * sizeof(uint32_t));
    }
}

static int check(Py_buffer *view, Py_ssize_t itemsize, const char *name) {
    if (view->itemsize != itemsize || view->len % itemsize != 0) {
        PyErr_Format(PyExc_ValueError, "%s: expected items of %zd bytes", name, itemsize);
        return -1;
    }
    return 0;
}

static PyObject *signatures(PyObject *self, PyObject *args) {
    Py_buffer hashes, offsets, a, b, out;
    if (!PyArg_ParseTuple(args, "y*y*y*y*w*", &hashes, &offsets, &a, &b, &out)) return NULL;
    PyObject *result = NULL;
    Py_ssize_t units = offsets.len / 8 - 1;
    Py_ssize_t perms = a.len / 4;
    if (check(&hashes, 4, "hashes") || check(&offsets, 8, "offsets") || check(&a, 4, "a") || check(&b, 4, "b") ||
        check(&out, 4, "out"))
        goto done;
    if (units < 0 || perms > MAX_PERM || b.len != a.len || out.len != units * perms * 4) {
        PyErr_SetString(PyExc_ValueError, "signatures: inconsistent buffer sizes");
        goto done;
    }
    const int64_t *off = (const int64_t *)offsets.buf;
    Py_ssize_t total = hashes.len / 4;
    for (Py_ssize_t u = 0; u < units; u++) {
        if (off[u] < 0 || off[u] > off[u + 1] || off[u + 1] > total) {
            PyErr_SetString(PyExc_ValueError, "signatures: offsets out of range");
            goto done;
        }
    }
    Py_BEGIN_ALLOW_THREADS
    signatures_kernel((const uint32_t *)hashes.buf, off, units, (const uint32_t *)a.buf, (const uint32_t *)b.buf,
                      perms, (uint32_t *)out.buf);
    Py_END_ALLOW_THREADS
    result = Py_None;
    Py_INCREF(result);
done:
    PyBuffer_Release(&hashes);
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&a);
    PyBuffer_Release(&b);
    PyBuffer_Release(&out);
    return result;
}

static PyObject *intersections(PyObject *self, PyObject *args) {
    Py_buffer values, offsets, left, right, out;
    if (!PyArg_ParseTuple(args, "y*y*y*y*w*", &values, &offsets, &left, &right, &out)) return NULL;
    PyObject *result = NULL;
    if (check(&values, 4, "values") || check(&offsets, 8, "offsets") || check(&left, 8, "left") ||
        check(&right, 8, "right") || check(&out, 8, "out"))
        goto done;
    Py_ssize_t pairs = left.len / 8, units = offsets.len / 8 - 1;
    if (right.len != left.len || out.len != left.len || units < 0) {
        PyErr_SetString(PyExc_ValueError, "intersections: inconsistent buffer sizes");
        goto done;
    }
    const uint32_t *v = (const uint32_t *)values.buf;
    const int64_t *off = (const int64_t *)offsets.buf, *l = (const int64_t *)left.buf, *r = (const int64_t *)right.buf;
    int64_t *o = (int64_t *)out.buf;
    Py_ssize_t total = values.len / 4;
    for (Py_ssize_t u = 0; u < units; u++) {
        if (off[u] < 0 || off[u] > off[u + 1] || off[u + 1] > total) {
            PyErr_SetString(PyExc_ValueError, "intersections: offsets out of range");
            goto done;
        }
    }
    for (Py_ssize_t p = 0; p < pairs; p++) {
        if (l[p] < 0 || l[p] >= units || r[p] < 0 || r[p] >= units) {
            PyErr_SetString(PyExc_IndexError, "intersections: unit index out of range");
            goto done;
        }
    }
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t p = 0; p < pairs; p++) {
        int64_t i = off[l[p]], ie = off[l[p] + 1], j = off[r[p]], je = off[r[p] + 1], common = 0;
        while (i < ie && j < je) {
            uint32_t x = v[i], y = v[j];
            common += (x == y);
            i += (x <= y);
            j += (y <= x);
        }
        o[p] = common;
    }
    Py_END_ALLOW_THREADS
    result = Py_None;
    Py_INCREF(result);
done:
    PyBuffer_Release(&values);
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&left);
    PyBuffer_Release(&right);
    PyBuffer_Release(&out);
    return result;
}

static PyObject *span_hashes(PyObject *self, PyObject *args) {
    Py_buffer codes, starts, ends, out;
    unsigned long long base;
    if (!PyArg_ParseTuple(args, "y*y*y*w*K", &codes, &starts, &ends, &out, &base)) return NULL;
    PyObject *result = NULL;
    if (check(&codes, 4, "codes") || check(&starts, 8, "starts") || check(&ends, 8, "ends") || check(&out, 4, "out"))
        goto done;
    Py_ssize_t spans = starts.len / 8, total = codes.len / 4;
    if (ends.len != starts.len || out.len != spans * 4) {
        PyErr_SetString(PyExc_ValueError, "span_hashes: inconsistent buffer sizes");
        goto done;
    }
    const uint32_t *c = (const uint32_t *)codes.buf;
    const int64_t *st = (const int64_t *)starts.buf, *en = (const int64_t *)ends.buf;
    uint32_t *o = (uint32_t *)out.buf;
    for (Py_ssize_t k = 0; k < spans; k++) {
        if (st[k] < 0 || st[k] > en[k] || en[k] > total) {
            PyErr_SetString(PyExc_ValueError, "span_hashes: span out of range");
            goto done;
        }
    }
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t k = 0; k < spans; k++) {
        uint64_t h = 0;
        for (int64_t i = st[k]; i < en[k]; i++) h = h * (uint64_t)base + c[i];
        o[k] = (uint32_t)(h ^ (h >> 32));
    }
    Py_END_ALLOW_THREADS
    result = Py_None;
    Py_INCREF(result);
done:
    PyBuffer_Release(&codes);
    PyBuffer_Release(&starts);
    PyBuffer_Release(&ends);
    PyBuffer_Release(&out);
    return result;
}

/* The shingle hashes of every unit: character n-grams, or word n-grams for word units (words are
 * runs of codes other than the space, code 32); a unit shorter than one shingle is one shingle of its whole
 * text, a word unit without words has none. A unit never gets more shingles than codes, so `out` must hold
 * sum(lengths) values; counts[u] receives the number written for u. */
static PyObject *shingle_hashes(PyObject *self, PyObject *args) {
    Py_buffer codes, lengths, words, out, counts;
    long long ngram, word_ngram;
    unsigned long long base;
    if (!PyArg_ParseTuple(args, "y*y*y*w*w*LLK", &codes, &lengths, &words, &out, &counts, &ngram, &word_ngram,
                          &base))
        return NULL;
    PyObject *result = NULL;
    if (check(&codes, 4, "codes") || check(&lengths, 8, "lengths") || check(&words, 1, "words") ||
        check(&out, 4, "out") || check(&counts, 8, "counts"))
        goto done;
    Py_ssize_t units = lengths.len / 8, total = codes.len / 4, capacity = out.len / 4;
    const int64_t *len = (const int64_t *)lengths.buf;
    if (words.len != units || counts.len != units * 8 || ngram < 1 || word_ngram < 1) {
        PyErr_SetString(PyExc_ValueError, "shingle_hashes: inconsistent arguments");
        goto done;
    }
    Py_ssize_t needed = 0, sum = 0;
    for (Py_ssize_t u = 0; u < units; u++) {
        if (len[u] < 0 || len[u] > total) {
            PyErr_SetString(PyExc_ValueError, "shingle_hashes: negative or oversized unit length");
            goto done;
        }
        sum += len[u];
        needed += len[u] > 0 ? len[u] : 0;
    }
    if (sum != total || needed > capacity) {
        PyErr_SetString(PyExc_ValueError, "shingle_hashes: lengths do not match codes or out is too small");
        goto done;
    }
    const uint32_t *c = (const uint32_t *)codes.buf;
    const uint8_t *w = (const uint8_t *)words.buf;
    uint32_t *o = (uint32_t *)out.buf;
    int64_t *cnt = (int64_t *)counts.buf;
    const uint64_t b = (uint64_t)base;
    Py_BEGIN_ALLOW_THREADS
    int64_t start = 0, written = 0;
    for (Py_ssize_t u = 0; u < units; u++) {
        int64_t n = len[u], before = written;
        const uint32_t *t = c + start;
        if (n > 0 && !w[u]) {
            int64_t span = n < ngram ? n : ngram, last = n < ngram ? 0 : n - ngram;
            for (int64_t i = 0; i <= last; i++) {
                uint64_t h = 0;
                for (int64_t k = i; k < i + span; k++) h = h * b + t[k];
                o[written++] = (uint32_t)(h ^ (h >> 32));
            }
        } else if (n > 0) {
            /* words are the runs of non-space codes, as the numpy path finds them: a shingle spans from the
             * start of its first word to the end of its last; never more shingles than words, so never more
             * than n values for this unit, whatever the spacing */
            int64_t tokens = 0;
            for (int64_t i = 0; i < n; i++) tokens += t[i] != 32 && (i == 0 || t[i - 1] == 32);
            int64_t shingles = tokens == 0 ? 0 : tokens <= word_ngram ? 1 : tokens - word_ngram + 1;
            int64_t span = tokens < word_ngram ? tokens : word_ngram;
            int64_t first = 0; /* start of the first word of the current shingle */
            while (first < n && t[first] == 32) first++;
            for (int64_t s = 0; s < shingles; s++) {
                int64_t end = first, seen = 0;
                for (;;) {
                    while (end < n && t[end] != 32) end++;
                    if (++seen == span || end >= n) break;
                    while (end < n && t[end] == 32) end++;
                }
                uint64_t h = 0;
                for (int64_t k = first; k < end; k++) h = h * b + t[k];
                o[written++] = (uint32_t)(h ^ (h >> 32));
                while (first < n && t[first] != 32) first++;
                while (first < n && t[first] == 32) first++;
            }
        }
        cnt[u] = written - before;
        start += n;
    }
    Py_END_ALLOW_THREADS
    result = Py_None;
    Py_INCREF(result);
done:
    PyBuffer_Release(&codes);
    PyBuffer_Release(&lengths);
    PyBuffer_Release(&words);
    PyBuffer_Release(&out);
    PyBuffer_Release(&counts);
    return result;
}

/* Sort every unit's range of `values` and keep each value once, compacting the units to the front.
 * One stable LSD radix sort (4 passes of 8 bits) over all values carries each value's unit along;
 * a stable scatter by unit then leaves every unit's values sorted. counts[u] receives the kept sizes. */
static int sort_units(uint32_t *v, const int64_t *off, Py_ssize_t units, int64_t *cnt) {
    int64_t n = off[units];
    uint32_t *a = malloc((size_t)(n ? n : 1) * sizeof(uint32_t)), *b = malloc((size_t)(n ? n : 1) * sizeof(uint32_t));
    int32_t *ua = malloc((size_t)(n ? n : 1) * sizeof(int32_t)), *ub = malloc((size_t)(n ? n : 1) * sizeof(int32_t));
    int64_t *cursor = malloc((size_t)(units ? units : 1) * sizeof(int64_t));
    if (!a || !b || !ua || !ub || !cursor) {
        free(a), free(b), free(ua), free(ub), free(cursor);
        return -1;
    }
    memcpy(a, v, (size_t)n * sizeof(uint32_t));
    for (Py_ssize_t u = 0; u < units; u++)
        for (int64_t i = off[u]; i < off[u + 1]; i++) ua[i] = (int32_t)u;
    for (int shift = 0; shift < 32; shift += 8) {
        int64_t histogram[257] = {0};
        for (int64_t i = 0; i < n; i++) histogram[((a[i] >> shift) & 0xFF) + 1]++;
        for (int k = 0; k < 256; k++) histogram[k + 1] += histogram[k];
        for (int64_t i = 0; i < n; i++) {
            int64_t to = histogram[(a[i] >> shift) & 0xFF]++;
            b[to] = a[i];
            ub[to] = ua[i];
        }
        uint32_t *swap_values = a;
        a = b, b = swap_values;
        int32_t *swap_units = ua;
        ua = ub, ub = swap_units;
    }
    for (Py_ssize_t u = 0; u < units; u++) cursor[u] = off[u];
    for (int64_t i = 0; i < n; i++) b[cursor[ua[i]]++] = a[i];
    int64_t write = 0;
    for (Py_ssize_t u = 0; u < units; u++) {
        int64_t kept = 0;
        for (int64_t i = off[u]; i < off[u + 1]; i++)
            if (kept == 0 || b[i] != v[write + kept - 1]) v[write + kept++] = b[i];
        write += kept;
        cnt[u] = kept;
    }
    free(a), free(b), free(ua), free(ub), free(cursor);
    return 0;
}

static PyObject *sorted_sets(PyObject *self, PyObject *args) {
    Py_buffer values, offsets, counts;
    if (!PyArg_ParseTuple(args, "w*y*w*", &values, &offsets, &counts)) return NULL;
    PyObject *result = NULL;
    if (check(&values, 4, "values") || check(&offsets, 8, "offsets") || check(&counts, 8, "counts")) goto done;
    Py_ssize_t units = offsets.len / 8 - 1, total = values.len / 4;
    const int64_t *off = (const int64_t *)offsets.buf;
    if (units < 0 || counts.len != units * 8 || units > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "sorted_sets: inconsistent buffer sizes");
        goto done;
    }
    if (off[0] != 0) {
        PyErr_SetString(PyExc_ValueError, "sorted_sets: offsets must start at 0");
        goto done;
    }
    for (Py_ssize_t u = 0; u < units; u++) {
        if (off[u] > off[u + 1] || off[u + 1] > total) {
            PyErr_SetString(PyExc_ValueError, "sorted_sets: offsets out of range");
            goto done;
        }
    }
    int failed;
    Py_BEGIN_ALLOW_THREADS
    failed = sort_units((uint32_t *)values.buf, off, units, (int64_t *)counts.buf);
    Py_END_ALLOW_THREADS
    if (failed) {
        PyErr_NoMemory();
        goto done;
    }
    result = Py_None;
    Py_INCREF(result);
done:
    PyBuffer_Release(&values);
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&counts);
    return result;
}

static PyMethodDef methods[] = {
    {"span_hashes", span_hashes, METH_VARARGS,
     "span_hashes(codes, starts, ends, out, base): polynomial hash of each span of code points, folded to 32 bits."},
    {"shingle_hashes", shingle_hashes, METH_VARARGS,
     "shingle_hashes(codes, lengths, words, out, counts, ngram, word_ngram, base): hashes of every unit's shingles."},
    {"sorted_sets", sorted_sets, METH_VARARGS,
     "sorted_sets(values, offsets, counts): sort and deduplicate each unit's range in place, compacting to the front."},
    {"signatures", signatures, METH_VARARGS,
     "signatures(hashes, offsets, a, b, out): affine32 MinHash of each unit's shingle hashes into out."},
    {"intersections", intersections, METH_VARARGS,
     "intersections(values, offsets, left, right, out): sizes of the intersections of sorted unique ranges."},
    {NULL, NULL, 0, NULL},
};

/* Multi-phase initialisation (PEP 489): the interpreter keeps no reference to the static module definition,
 * so its garbage collector never reads this file's data pages. A single-phase module's definition sits in the
 * interpreter's extension cache, and every full collection visits it: when the .so was overwritten in place
 * (same inode) while a process had it loaded, the kernel drops that page and reads it back unrelocated from the
 * new file, and the collector followed a NULL type pointer (SIGSEGV in visit_decref, even in processes that
 * never called this module). Rebuilds must still write a new file and rename it over the old one: code already
 * mapped cannot be protected. */
static PyModuleDef_Slot slots[] = {{0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_minhash", "Compiled MinHash core of cleanse's dedup stage.", 0, methods, slots};

PyMODINIT_FUNC PyInit__minhash(void) { return PyModuleDef_Init(&module); }
