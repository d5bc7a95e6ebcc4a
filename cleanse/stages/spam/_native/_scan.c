/* The optional compiled core of the spam stage: the lexicon matcher's candidate filter.
 *
 * candidates() computes exactly what the numpy path in cleanse/stages/spam/lexicon.py computes: the
 * positions whose character may start a word (one table read), whose first two characters open a word
 * (a 16-bit hash table) and whose first three characters open a longer word or whose pair is a whole word,
 * or whose character is a one-character word. The numpy path needs some twenty array passes, each with a
 * fixed cost that shows on every document; this is one pass. The tests check that both agree.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#include <math.h>

#define TABLE_SIZE 65536u
#define HASH_MULTIPLIER 40503u

static int check(Py_buffer *view, Py_ssize_t itemsize, Py_ssize_t count, const char *name) {
    if (view->itemsize != itemsize || view->len % itemsize != 0 || (count >= 0 && view->len != count * itemsize)) {
        PyErr_Format(PyExc_ValueError, "%s: unexpected buffer size", name);
        return -1;
    }
    return 0;
}

static inline uint32_t table_code(const uint32_t *codes, Py_ssize_t position, Py_ssize_t last) {
    uint32_t code = codes[position < last ? position : last];
    return code < TABLE_SIZE ? code : TABLE_SIZE - 1;
}

/* The candidate filter's tables (lexicon.py's _candidates): a character starts a word, a hashed pair opens one,
 * a pair is a whole word, a hashed triple opens a longer word, a character is a one-character word; each packed
 * one bit per entry (np.packbits, little bit order: 8 KiB a table, so all five stay in cache beside the rest). */
typedef struct {
    const uint8_t *starts_word, *pairs, *whole_pairs, *triples, *singles;
} candidate_tables;

static int candidate_views(Py_buffer *views, candidate_tables *t) {
    static const char *names[5] = {"starts", "opening_pairs", "pair_words", "opening_triples", "single"};
    for (int k = 0; k < 5; k++)
        if (check(&views[k], 1, TABLE_SIZE / 8, names[k])) return -1;
    t->starts_word = (const uint8_t *)views[0].buf;
    t->pairs = (const uint8_t *)views[1].buf;
    t->whole_pairs = (const uint8_t *)views[2].buf;
    t->triples = (const uint8_t *)views[3].buf;
    t->singles = (const uint8_t *)views[4].buf;
    return 0;
}

/* Whether a word may start at ``p``: the one hash probe of the candidate filter, shared by candidates() and find(). */
#define BIT(table, i) (((table)[(i) >> 3] >> ((i) & 7)) & 1)

static inline int is_candidate(const candidate_tables *t, const uint32_t *text, Py_ssize_t p, Py_ssize_t last) {
    uint32_t first = table_code(text, p, last);
    if (!BIT(t->starts_word, first)) return 0;
    uint32_t pair = (first * HASH_MULTIPLIER + table_code(text, p + 1, last)) & (TABLE_SIZE - 1);
    int opens = BIT(t->pairs, pair) &&
                (BIT(t->whole_pairs, pair) ||
                 BIT(t->triples, (pair * HASH_MULTIPLIER + table_code(text, p + 2, last)) & (TABLE_SIZE - 1)));
    return opens || BIT(t->singles, first);
}

static PyObject *candidates(PyObject *self, PyObject *args) {
    Py_buffer codes, views[5];
    if (!PyArg_ParseTuple(args, "y*y*y*y*y*y*", &codes, &views[0], &views[1], &views[2], &views[3], &views[4]))
        return NULL;
    PyObject *found = NULL;
    candidate_tables tables;
    if (check(&codes, 4, -1, "codes") || candidate_views(views, &tables) < 0) goto done;
    found = PyList_New(0);
    if (found == NULL) goto done;
    const uint32_t *text = (const uint32_t *)codes.buf;
    Py_ssize_t n = codes.len / 4, last = n - 1;
    for (Py_ssize_t p = 0; p < n; p++) {
        if (!is_candidate(&tables, text, p, last)) continue;
        PyObject *position = PyLong_FromSsize_t(p);
        if (position == NULL || PyList_Append(found, position) < 0) {
            Py_XDECREF(position);
            Py_CLEAR(found);
            goto done;
        }
        Py_DECREF(position);
    }
done:
    PyBuffer_Release(&codes);
    for (int k = 0; k < 5; k++) PyBuffer_Release(&views[k]);
    return found;
}


static inline int ascii_letter(uint32_t code) { return (code >= 'a' && code <= 'z') || (code >= 'A' && code <= 'Z'); }

/* An ASCII word must not be glued to ASCII letters on either side (lexicon.py's _standalone). */
static inline int standalone(const uint32_t *text, Py_ssize_t n, Py_ssize_t position, Py_ssize_t length) {
    Py_ssize_t end = position + length;
    if (ascii_letter(text[position]) && position > 0 && ascii_letter(text[position - 1])) return 0;
    return !(ascii_letter(text[end - 1]) && end < n && ascii_letter(text[end]));
}

/* The matcher's word tables (see match()), checked once per call. */
typedef struct {
    const uint32_t *word_codes, *single_code;
    const int64_t *key, *offset, *word_id, *single_id;
    const uint8_t *needs_boundary, *single_needs_boundary;
    Py_ssize_t words, singles;
} word_tables;

static int word_views(Py_buffer *v, word_tables *w) {
    Py_ssize_t words = v[0].len / 8, singles = v[5].len / 4;
    if (check(&v[0], 8, -1, "keys") || check(&v[1], 8, words + 1, "offsets") || check(&v[2], 4, -1, "flat") ||
        check(&v[3], 8, words, "ids") || check(&v[4], 1, words, "boundary") || check(&v[5], 4, -1, "single_codes") ||
        check(&v[6], 8, singles, "single_ids") || check(&v[7], 1, singles, "single_boundary"))
        return -1;
    const int64_t *offset = (const int64_t *)v[1].buf;
    Py_ssize_t flat_size = v[2].len / 4;
    for (Py_ssize_t k = 0; k < words; k++) {
        if (offset[k] < 0 || offset[k + 1] > flat_size || offset[k + 1] - offset[k] < 2) {
            PyErr_SetString(PyExc_ValueError, "offsets: words of two or more code points inside the table expected");
            return -1;
        }
    }
    w->key = (const int64_t *)v[0].buf;
    w->offset = offset;
    w->word_codes = (const uint32_t *)v[2].buf;
    w->word_id = (const int64_t *)v[3].buf;
    w->needs_boundary = (const uint8_t *)v[4].buf;
    w->single_code = (const uint32_t *)v[5].buf;
    w->single_id = (const int64_t *)v[6].buf;
    w->single_needs_boundary = (const uint8_t *)v[7].buf;
    w->words = words;
    w->singles = singles;
    return 0;
}

/* The longest word at ``position`` (Lexicon.find_ids' loop): its length, and its id in ``*id``; 0 for none. */
static Py_ssize_t word_at(const word_tables *w, const uint32_t *text, Py_ssize_t n, Py_ssize_t position,
                          int64_t *id) {
    if (position + 1 < n) {
        int64_t wanted = ((int64_t)text[position] << 21) | (int64_t)text[position + 1];
        Py_ssize_t lo = 0, hi = w->words;
        while (lo < hi) {
            Py_ssize_t mid = lo + (hi - lo) / 2;
            if (w->key[mid] < wanted) lo = mid + 1;
            else hi = mid;
        }
        for (Py_ssize_t k = lo; k < w->words && w->key[k] == wanted; k++) {
            Py_ssize_t length = (Py_ssize_t)(w->offset[k + 1] - w->offset[k]);
            if (position + length > n) continue;
            const uint32_t *word = w->word_codes + w->offset[k];
            Py_ssize_t j = 2;
            while (j < length && text[position + j] == word[j]) j++;
            if (j < length || (w->needs_boundary[k] && !standalone(text, n, position, length))) continue;
            *id = w->word_id[k];
            return length;
        }
    }
    for (Py_ssize_t k = 0; k < w->singles; k++) {
        if (w->single_code[k] != text[position]) continue;
        if (w->single_needs_boundary[k] && !standalone(text, n, position, 1)) return 0;
        *id = w->single_id[k];
        return 1;
    }
    return 0;
}

static int append_pair(PyObject *positions, PyObject *ids, Py_ssize_t position, int64_t id) {
    PyObject *p = PyLong_FromSsize_t(position), *i = PyLong_FromLongLong(id);
    int failed = p == NULL || i == NULL || PyList_Append(positions, p) < 0 || PyList_Append(ids, i) < 0;
    Py_XDECREF(p);
    Py_XDECREF(i);
    return failed ? -1 : 0;
}

/* match(codes, candidates, keys, offsets, flat, ids, boundary, single_codes, single_ids, single_boundary)
 * Leftmost-longest non-overlapping words at the candidate positions (ascending), as Lexicon.find_ids' loop
 * does: words of two or more characters sorted by (first two code points, length descending), as ``keys``
 * (first << 21 | second), their code points in ``flat`` from ``offsets[k]`` to ``offsets[k + 1]``, ``ids``
 * and ``boundary`` (must stand apart from ASCII letters); then one-character words. */
static PyObject *match(PyObject *self, PyObject *args) {
    PyObject *candidate_list;
    Py_buffer codes, v[8];
    if (!PyArg_ParseTuple(args, "y*O!y*y*y*y*y*y*y*y*", &codes, &PyList_Type, &candidate_list, &v[0], &v[1], &v[2],
                          &v[3], &v[4], &v[5], &v[6], &v[7]))
        return NULL;
    PyObject *positions = NULL, *found_ids = NULL, *result = NULL;
    word_tables w;
    if (check(&codes, 4, -1, "codes") || word_views(v, &w) < 0) goto done;
    const uint32_t *text = (const uint32_t *)codes.buf;
    Py_ssize_t n = codes.len / 4;
    positions = PyList_New(0);
    found_ids = PyList_New(0);
    if (positions == NULL || found_ids == NULL) goto done;
    Py_ssize_t covered = 0, count = PyList_GET_SIZE(candidate_list);
    for (Py_ssize_t c = 0; c < count; c++) {
        Py_ssize_t position = PyLong_AsSsize_t(PyList_GET_ITEM(candidate_list, c));
        if (position == -1 && PyErr_Occurred()) goto done;
        if (position < covered) continue;
        if (position >= n) {
            PyErr_SetString(PyExc_ValueError, "candidate outside the text");
            goto done;
        }
        int64_t id;
        Py_ssize_t length = word_at(&w, text, n, position, &id);
        if (!length) continue;
        if (append_pair(positions, found_ids, position, id) < 0) goto done;
        covered = position + length;
    }
    result = PyTuple_Pack(2, positions, found_ids);
done:
    Py_XDECREF(positions);
    Py_XDECREF(found_ids);
    PyBuffer_Release(&codes);
    for (int k = 0; k < 8; k++) PyBuffer_Release(&v[k]);
    return result;
}

/* find(codes, <candidates' five tables>, <match's eight tables>) -> (positions, ids): candidates() and match()
 * in one pass, without the list of candidates; both results as bytearrays of int64 (for np.frombuffer). */
static PyObject *find(PyObject *self, PyObject *args) {
    Py_buffer codes, c[5], v[8];
    if (!PyArg_ParseTuple(args, "y*y*y*y*y*y*y*y*y*y*y*y*y*y*", &codes, &c[0], &c[1], &c[2], &c[3], &c[4], &v[0],
                          &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]))
        return NULL;
    PyObject *result = NULL, *positions = NULL, *ids = NULL;
    int64_t *found = NULL;
    candidate_tables tables;
    word_tables w;
    if (check(&codes, 4, -1, "codes") || candidate_views(c, &tables) < 0 || word_views(v, &w) < 0) goto done;
    const uint32_t *text = (const uint32_t *)codes.buf;
    Py_ssize_t n = codes.len / 4, last = n - 1, count = 0, capacity = 64;
    found = PyMem_Malloc((size_t)capacity * 2 * sizeof(int64_t));
    if (found == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t p = 0; p < n; p++) {
        if (!is_candidate(&tables, text, p, last)) continue;
        int64_t id;
        Py_ssize_t length = word_at(&w, text, n, p, &id);
        if (!length) continue;
        if (count == capacity) {
            int64_t *grown = PyMem_Realloc(found, (size_t)capacity * 4 * sizeof(int64_t));
            if (grown == NULL) {
                PyErr_NoMemory();
                goto done;
            }
            found = grown;
            capacity *= 2;
        }
        found[2 * count] = p;
        found[2 * count + 1] = id;
        count++;
        p += length - 1;
    }
    positions = PyByteArray_FromStringAndSize(NULL, count * 8);
    ids = PyByteArray_FromStringAndSize(NULL, count * 8);
    if (positions == NULL || ids == NULL) goto done;
    int64_t *position_out = (int64_t *)PyByteArray_AS_STRING(positions), *id_out = (int64_t *)PyByteArray_AS_STRING(ids);
    for (Py_ssize_t k = 0; k < count; k++) {
        position_out[k] = found[2 * k];
        id_out[k] = found[2 * k + 1];
    }
    result = PyTuple_Pack(2, positions, ids);
done:
    Py_XDECREF(positions);
    Py_XDECREF(ids);
    PyMem_Free(found);
    PyBuffer_Release(&codes);
    for (int k = 0; k < 5; k++) PyBuffer_Release(&c[k]);
    for (int k = 0; k < 8; k++) PyBuffer_Release(&v[k]);
    return result;
}

/* span_counts(classes, starts, ends) -> (lengths, han, digits, latin, sentence_ends, commas, separators, exclaims,
 * gaps): features.py's per-span counts in one pass over each span's class bytes (bits 0-7: han, digit, latin,
 * space, sentence end, comma, separator, exclamation). ``lengths`` leave the spaces out; ``gaps`` counts the
 * positions inside the span, past its first, where a run of spaces starts after a non-space (as the numpy path's
 * two searchsorted calls count them, -1 for an empty span sitting on such a position). */
static PyObject *span_counts(PyObject *self, PyObject *args) {
    Py_buffer classes, starts, ends;
    if (!PyArg_ParseTuple(args, "y*y*y*", &classes, &starts, &ends)) return NULL;
    PyObject *lists[9] = {NULL}, *result = NULL;
    Py_ssize_t spans = starts.len / 8;
    if (check(&classes, 1, -1, "classes") || check(&starts, 8, -1, "starts") || check(&ends, 8, spans, "ends"))
        goto done;
    const uint8_t *cls = (const uint8_t *)classes.buf;
    const int64_t *start = (const int64_t *)starts.buf, *end = (const int64_t *)ends.buf;
    for (int k = 0; k < 9; k++)
        if ((lists[k] = PyList_New(spans)) == NULL) goto done;
    for (Py_ssize_t i = 0; i < spans; i++) {
        if (start[i] < 0 || end[i] < start[i] || end[i] > classes.len) {
            PyErr_SetString(PyExc_ValueError, "spans: expected 0 <= start <= end <= len(classes)");
            goto done;
        }
        Py_ssize_t bits[8] = {0, 0, 0, 0, 0, 0, 0, 0}, gaps = 0;
        for (Py_ssize_t p = start[i]; p < end[i]; p++) {
            uint8_t c = cls[p];
            if (!c) continue;
            for (int b = 0; b < 8; b++) bits[b] += (c >> b) & 1;
            gaps += (c & 8) && p > start[i] && !(cls[p - 1] & 8);
        }
        /* An empty span on a gap start: numpy's searchsorted difference is -1 there, and this agrees. */
        if (start[i] == end[i] && start[i] > 0 && start[i] < classes.len && (cls[start[i]] & 8) &&
            !(cls[start[i] - 1] & 8))
            gaps = -1;
        Py_ssize_t values[9] = {end[i] - start[i] - bits[3], bits[0], bits[1], bits[2], bits[4],
                                bits[5], bits[6], bits[7], gaps};
        for (int k = 0; k < 9; k++) {
            PyObject *value = PyLong_FromSsize_t(values[k]);
            if (value == NULL) goto done;
            PyList_SET_ITEM(lists[k], i, value);
        }
    }
    result = PyTuple_New(9);
    if (result == NULL) goto done;
    for (int k = 0; k < 9; k++) {
        PyTuple_SET_ITEM(result, k, lists[k]);
        lists[k] = NULL;
    }
done:
    for (int k = 0; k < 9; k++) Py_XDECREF(lists[k]);
    PyBuffer_Release(&classes);
    PyBuffer_Release(&starts);
    PyBuffer_Release(&ends);
    return result;
}

/* numpy's pairwise summation (DOUBLE_pairwise_sum) of column ``c`` of the rows of words ``word[0..n)``:
 * np.add.reduceat adds a segment as its first value plus this sum of the rest, so the compiled path gives
 * bit-identical sums (the tests compare both paths on many segments). */
static double pairwise_sum(const double *row, const int64_t *word, Py_ssize_t n, Py_ssize_t columns,
                           Py_ssize_t c) {
    if (n < 8) {
        double res = 0.;
        for (Py_ssize_t i = 0; i < n; i++) res += row[word[i] * columns + c];
        return res;
    }
    if (n <= 128) {
        double r[8], res;
        Py_ssize_t i;
        for (Py_ssize_t j = 0; j < 8; j++) r[j] = row[word[j] * columns + c];
        for (i = 8; i < n - (n % 8); i += 8)
            for (Py_ssize_t j = 0; j < 8; j++) r[j] += row[word[i + j] * columns + c];
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++) res += row[word[i] * columns + c];
        return res;
    }
    Py_ssize_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise_sum(row, word, n2, columns, c) + pairwise_sum(row, word + n2, n - n2, columns, c);
}

/* line_hits(positions, ids, starts, ends, rows, columns, label_bits, present_column)
 * Features' per-line lexicon evidence (features.py's _lexicon_hits): each match (ascending ``positions``)
 * goes to the span ``[starts[i], ends[i])`` that holds it (binary search, as ``searchsorted``); for each
 * line with matches, in order: (line, label mask, the sum of its words' ``rows`` (``columns`` float64 each,
 * added as ``np.add.reduceat`` adds them), offsets of its matches in the line, their word ids).
 * The mask adds ``label_bits[j]`` for every label ``j`` whose presence column (``present_column + j``) is
 * above zero. */
static PyObject *line_hits(PyObject *self, PyObject *args) {
    Py_buffer positions, ids, starts, ends, rows, label_bits;
    Py_ssize_t columns, present_column;
    if (!PyArg_ParseTuple(args, "y*y*y*y*y*ny*n", &positions, &ids, &starts, &ends, &rows, &columns, &label_bits,
                          &present_column))
        return NULL;
    PyObject *result = NULL, *group = NULL;
    Py_ssize_t matches = positions.len / 8, spans = starts.len / 8, labels = label_bits.len / 8;
    double *sums = NULL;
    if (check(&positions, 8, -1, "positions") || check(&ids, 8, matches, "ids") || check(&starts, 8, -1, "starts") ||
        check(&ends, 8, spans, "ends") || check(&rows, 8, -1, "rows") || check(&label_bits, 8, -1, "label_bits"))
        goto done;
    if (columns <= 0 || rows.len % (8 * columns) != 0 || present_column < 0 || present_column + labels > columns) {
        PyErr_SetString(PyExc_ValueError, "rows: unexpected shape");
        goto done;
    }
    const int64_t *position = (const int64_t *)positions.buf, *word = (const int64_t *)ids.buf;
    const int64_t *start = (const int64_t *)starts.buf, *end = (const int64_t *)ends.buf;
    const int64_t *bits = (const int64_t *)label_bits.buf;
    const double *row = (const double *)rows.buf;
    Py_ssize_t words = rows.len / (8 * columns);
    sums = (double *)PyMem_Malloc((size_t)columns * sizeof(double));
    result = PyList_New(0);
    if (sums == NULL || result == NULL) {
        PyErr_NoMemory();
        Py_CLEAR(result);
        goto done;
    }
    Py_ssize_t k = 0;
    while (k < matches) {
        Py_ssize_t lo = 0, hi = spans;
        while (lo < hi) {
            Py_ssize_t mid = lo + (hi - lo) / 2;
            if (start[mid] <= position[k]) lo = mid + 1;
            else hi = mid;
        }
        Py_ssize_t line = lo - 1;
        if (line < 0 || position[k] >= end[line]) {
            k++;
            continue;
        }
        PyObject *offsets = PyList_New(0), *group_ids = PyList_New(0);
        if (offsets == NULL || group_ids == NULL) {
            Py_XDECREF(offsets);
            Py_XDECREF(group_ids);
            goto fail;
        }
        Py_ssize_t first = k;
        while (k < matches && position[k] >= start[line] && position[k] < end[line] &&
               (line + 1 >= spans || position[k] < start[line + 1])) {
            if (word[k] < 0 || word[k] >= words) {
                PyErr_SetString(PyExc_ValueError, "ids: word id outside the rows");
                Py_DECREF(offsets);
                Py_DECREF(group_ids);
                goto fail;
            }
            PyObject *offset = PyLong_FromLongLong(position[k] - start[line]), *id = PyLong_FromLongLong(word[k]);
            int failed = offset == NULL || id == NULL || PyList_Append(offsets, offset) < 0 ||
                         PyList_Append(group_ids, id) < 0;
            Py_XDECREF(offset);
            Py_XDECREF(id);
            if (failed) {
                Py_DECREF(offsets);
                Py_DECREF(group_ids);
                goto fail;
            }
            k++;
        }
        for (Py_ssize_t c = 0; c < columns; c++) {
            sums[c] = row[word[first] * columns + c];
            if (k - first > 1) sums[c] += pairwise_sum(row, word + first + 1, k - first - 1, columns, c);
        }
        int64_t mask = 0;
        for (Py_ssize_t j = 0; j < labels; j++)
            if (sums[present_column + j] > 0) mask += bits[j];
        PyObject *sum_list = PyList_New(columns);
        if (sum_list == NULL) {
            Py_DECREF(offsets);
            Py_DECREF(group_ids);
            goto fail;
        }
        for (Py_ssize_t c = 0; c < columns; c++) {
            PyObject *value = PyFloat_FromDouble(sums[c]);
            if (value == NULL) {
                Py_DECREF(sum_list);
                Py_DECREF(offsets);
                Py_DECREF(group_ids);
                goto fail;
            }
            PyList_SET_ITEM(sum_list, c, value);
        }
        group = Py_BuildValue("(nLNNN)", line, (long long)mask, sum_list, offsets, group_ids);
        if (group == NULL || PyList_Append(result, group) < 0) goto fail;
        Py_CLEAR(group);
    }
    goto done;
fail:
    Py_CLEAR(group);
    Py_CLEAR(result);
done:
    PyMem_Free(sums);
    PyBuffer_Release(&positions);
    PyBuffer_Release(&ids);
    PyBuffer_Release(&starts);
    PyBuffer_Release(&ends);
    PyBuffer_Release(&rows);
    PyBuffer_Release(&label_bits);
    return result;
}

/* line_spans(text) -> (spans, numbers): labeller.py's _line_spans in one pass over the string: each line
 * (split on "\n") holding a character that is not whitespace (str.isspace), as (start, end) without a
 * trailing "\r", and its line number. */
static PyObject *line_spans(PyObject *self, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "line_spans() takes str, not %.100s", Py_TYPE(text)->tp_name);
        return NULL;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(text) < 0) return NULL;
#endif
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), start = 0, number = 0;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    PyObject *spans = PyList_New(0), *numbers = PyList_New(0), *result = NULL;
    if (spans == NULL || numbers == NULL) goto done;
    for (Py_ssize_t i = 0; i <= n; i++) {
        if (i < n && PyUnicode_READ(kind, data, i) != '\n') continue;
        Py_ssize_t j = start;
        while (j < i && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, j))) j++;
        if (j < i) {
            Py_ssize_t end = PyUnicode_READ(kind, data, i - 1) == '\r' ? i - 1 : i;
            PyObject *span = Py_BuildValue("(nn)", start, end), *line = PyLong_FromSsize_t(number);
            int failed = span == NULL || line == NULL || PyList_Append(spans, span) < 0 || PyList_Append(numbers, line) < 0;
            Py_XDECREF(span);
            Py_XDECREF(line);
            if (failed) goto done;
        }
        start = i + 1;
        number++;
    }
    result = PyTuple_Pack(2, spans, numbers);
done:
    Py_XDECREF(spans);
    Py_XDECREF(numbers);
    return result;
}

/* packed_prefix_sums(classes, fields, out): features.py's _packed_prefix_sums without the (N, 2) gather:
 * out[i + 1] = out[i] + fields[classes[i]] for both uint64 columns (wrapping, as numpy's uint64 adds). */
static PyObject *packed_prefix_sums(PyObject *self, PyObject *args) {
    Py_buffer classes, fields, out;
    if (!PyArg_ParseTuple(args, "y*y*w*", &classes, &fields, &out)) return NULL;
    PyObject *result = NULL;
    Py_ssize_t n = classes.len;
    if (check(&classes, 1, -1, "classes") || check(&fields, 8, 512, "fields") || check(&out, 8, 2 * (n + 1), "out"))
        goto done;
    const uint8_t *cls = (const uint8_t *)classes.buf;
    const uint64_t *field = (const uint64_t *)fields.buf;
    uint64_t *sums = (uint64_t *)out.buf, low = 0, high = 0;
    sums[0] = 0;
    sums[1] = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        low += field[2 * cls[i]];
        high += field[2 * cls[i] + 1];
        sums[2 * i + 2] = low;
        sums[2 * i + 3] = high;
    }
    result = Py_None;
    Py_INCREF(result);
done:
    PyBuffer_Release(&classes);
    PyBuffer_Release(&fields);
    PyBuffer_Release(&out);
    return result;
}

/* gloss_brackets(codes, kinds) -> (opens, closes): normalise.py's _gloss_spans before its Han test: each "("
 * after the first character whose next ")" closes one to eight characters that all have the pinyin-letter
 * bit (1) in ``kinds`` (indexed by code point, the last entry for code points past it), one with the
 * tone-mark bit (2). */
static PyObject *gloss_brackets(PyObject *self, PyObject *args) {
    Py_buffer codes, kinds;
    if (!PyArg_ParseTuple(args, "y*y*", &codes, &kinds)) return NULL;
    PyObject *opens = NULL, *closes = NULL, *result = NULL;
    if (check(&codes, 4, -1, "codes") || check(&kinds, 1, -1, "kinds") || kinds.len == 0) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "kinds: empty table");
        goto done;
    }
    opens = PyList_New(0);
    closes = PyList_New(0);
    if (opens == NULL || closes == NULL) goto done;
    const uint32_t *text = (const uint32_t *)codes.buf;
    const uint8_t *kind = (const uint8_t *)kinds.buf;
    Py_ssize_t n = codes.len / 4, last_kind = kinds.len - 1;
    for (Py_ssize_t open = 1; open < n; open++) {
        if (text[open] != '(') continue;
        Py_ssize_t close = open + 1;
        while (close < n && close <= open + 9 && text[close] != ')') close++;
        if (close >= n || text[close] != ')' || close - open - 1 < 1 || close - open - 1 > 8) continue;
        int letters = 1, toned = 0;
        for (Py_ssize_t j = open + 1; j < close; j++) {
            uint8_t bits = kind[text[j] < (uint32_t)last_kind ? text[j] : (uint32_t)last_kind];
            letters &= (bits & 1) != 0;
            toned |= (bits & 2) != 0;
        }
        if (!letters || !toned) continue;
        PyObject *o = PyLong_FromSsize_t(open), *c = PyLong_FromSsize_t(close);
        int failed = o == NULL || c == NULL || PyList_Append(opens, o) < 0 || PyList_Append(closes, c) < 0;
        Py_XDECREF(o);
        Py_XDECREF(c);
        if (failed) goto done;
    }
    result = PyTuple_Pack(2, opens, closes);
done:
    Py_XDECREF(opens);
    Py_XDECREF(closes);
    PyBuffer_Release(&codes);
    PyBuffer_Release(&kinds);
    return result;
}

/* ngram_stats(codes, max_n): the character entropy in bits, then for n = 2 .. max_n how often the most frequent
 * n-gram of code points occurs (the page signals; page_signals.py has the numpy path, which sorts keys per n).
 * Code point 0 separates runs: no n-gram holds it, and it is not a character for the entropy. One pass per n
 * over an open-addressing table of first positions, compared by content, so counts are exact. */
typedef struct {
    uint32_t hash;
    int32_t first;
    int32_t count;
} ngram_slot;

static PyObject *ngram_stats(PyObject *self, PyObject *args) {
    Py_buffer codes;
    Py_ssize_t max_n;
    if (!PyArg_ParseTuple(args, "y*n", &codes, &max_n)) return NULL;
    PyObject *result = NULL;
    ngram_slot *table = NULL;
    if (check(&codes, 4, -1, "codes")) goto done;
    if (max_n < 1) {
        PyErr_SetString(PyExc_ValueError, "max_n: expected 1 or more");
        goto done;
    }
    const uint32_t *c = (const uint32_t *)codes.buf;
    Py_ssize_t length = codes.len / 4;
    if (length >= INT32_MAX / 2) {
        PyErr_SetString(PyExc_ValueError, "codes: too long");
        goto done;
    }
    size_t capacity = 16;
    while (capacity < 2 * (size_t)length) capacity <<= 1;
    table = PyMem_Malloc(capacity * sizeof(ngram_slot));
    if (table == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    result = PyTuple_New(max_n);
    if (result == NULL) goto done;
    Py_ssize_t total = 0;
    for (Py_ssize_t n = 1; n <= max_n; n++) {
        int32_t best = 0;
        for (size_t j = 0; j < capacity; j++) table[j].first = -1;
        for (Py_ssize_t i = 0; i + n <= length; i++) {
            uint64_t hash = 1469598103934665603ULL;
            Py_ssize_t k = 0;
            for (; k < n && c[i + k] != 0; k++) hash = (hash ^ c[i + k]) * 1099511628211ULL;
            if (k < n) continue;
            if (n == 1) total++;
            hash ^= hash >> 29;
            uint32_t short_hash = (uint32_t)(hash >> 32);
            size_t j = (size_t)hash & (capacity - 1);
            ngram_slot *slot = &table[j];
            while (slot->first >= 0 &&
                   (slot->hash != short_hash || memcmp(c + slot->first, c + i, (size_t)n * 4) != 0)) {
                j = (j + 1) & (capacity - 1);
                slot = &table[j];
            }
            if (slot->first < 0) {
                slot->first = (int32_t)i;
                slot->hash = short_hash;
                slot->count = 0;
            }
            if (++slot->count > best) best = slot->count;
        }
        PyObject *value;
        if (n == 1) {
            double entropy = 0.0;
            for (size_t j = 0; j < capacity; j++) {
                if (table[j].first < 0) continue;
                double p = (double)table[j].count / (double)total;
                entropy -= p * log2(p);
            }
            value = PyFloat_FromDouble(entropy);
        } else {
            value = PyLong_FromLong(best);
        }
        if (value == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyTuple_SET_ITEM(result, n - 1, value);
    }
done:
    PyMem_Free(table);
    PyBuffer_Release(&codes);
    return result;
}

/* page_counts(text, spans, junk, fold, letters, han) -> (chars, han, dup, dup_junk, junk_chars, letter_count,
 * entropy, top2, top3, top4): page_signals.py's measure in one pass. Each span is stripped of its edge whitespace
 * (str.strip); the stripped lines are joined, folded through ``fold`` (uint32, code points past it stay), kept as
 * letters where ``letters`` (uint8, the last entry for code points past it) is set, else 0. ``han`` (uint8, per
 * original code point) counts Han characters; -1 when a code point lies past it. A line is repeated when another
 * line folds to the same characters; dup_junk counts repeated lines that are junk or hold no sentence end
 * (。！？!?). Entropy and the top n-gram counts are ngram_stats' on the letters, computed the same way. */
typedef struct {
    uint64_t key;
    uint32_t last;
    int32_t count;
} exact_slot;

static inline uint64_t mix64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* The character entropy of c[0..length) exactly as ngram_stats computes it for n = 1 (same table, same order of
 * summation, so the same bits). ``counts`` receives how often the character at each position occurs (0 at the
 * separators); returns how many positions hold a character that occurs more than once in ``*repeated``. */
static double entropy_of(const uint32_t *c, Py_ssize_t length, size_t capacity, ngram_slot *table, int32_t *slot_of,
                         int32_t *counts, Py_ssize_t *repeated) {
    Py_ssize_t total = 0;
    for (size_t j = 0; j < capacity; j++) table[j].first = -1;
    for (Py_ssize_t i = 0; i < length; i++) {
        if (c[i] == 0) continue;
        uint64_t hash = (1469598103934665603ULL ^ c[i]) * 1099511628211ULL;
        total++;
        hash ^= hash >> 29;
        uint32_t short_hash = (uint32_t)(hash >> 32);
        size_t j = (size_t)hash & (capacity - 1);
        ngram_slot *slot = &table[j];
        while (slot->first >= 0 && (slot->hash != short_hash || c[slot->first] != c[i])) {
            j = (j + 1) & (capacity - 1);
            slot = &table[j];
        }
        if (slot->first < 0) {
            slot->first = (int32_t)i;
            slot->hash = short_hash;
            slot->count = 0;
        }
        slot->count++;
        slot_of[i] = (int32_t)j;
    }
    double entropy = 0.0;
    for (size_t j = 0; j < capacity; j++) {
        if (table[j].first < 0) continue;
        double p = (double)table[j].count / (double)total;
        entropy -= p * log2(p);
    }
    Py_ssize_t again = 0;
    for (Py_ssize_t i = 0; i < length; i++) {
        counts[i] = c[i] == 0 ? 0 : table[slot_of[i]].count;
        again += counts[i] > 1;
    }
    *repeated = again;
    return entropy;
}

static size_t table_capacity(Py_ssize_t entries) {
    size_t capacity = 16;
    while (capacity < 2 * (size_t)entries) capacity <<= 1;
    return capacity;
}

/* How often the most frequent n-gram (2 <= n <= 4) of nonzero code points occurs, keys compared exactly: the first
 * three code points (21 bits each) packed in one word, the fourth beside it. An n-gram can only occur twice where
 * its first n - 1 characters do, so only the positions where ``shorter`` (the count of the (n-1)-gram starting
 * there, from the pass before) is 2 or more are counted (``candidates`` of them, which sizes the table), and any
 * other n-gram counts once. ``counts`` (unless NULL) receives the count of the n-gram at each position (1 where
 * it was not counted) and ``*repeated`` how many positions have a count above 1. */
static int32_t top_ngram(const uint32_t *c, Py_ssize_t length, Py_ssize_t n, exact_slot *table, Py_ssize_t candidates,
                         const int32_t *shorter, int32_t *slot_of, int32_t *counts, Py_ssize_t *repeated) {
    int32_t best = 0;
    size_t capacity = table_capacity(candidates);
    memset(table, 0, capacity * sizeof(exact_slot));
    Py_ssize_t run = 0;
    for (Py_ssize_t i = 0; i < length; i++) {
        if (c[i] == 0) {
            run = 0;
            continue;
        }
        if (++run < n) continue;
        Py_ssize_t s = i - n + 1;
        slot_of[s] = -1;
        if (shorter[s] < 2) {
            if (best < 1) best = 1;
            continue;
        }
        uint64_t key = ((uint64_t)c[s] << 42) | ((uint64_t)c[s + 1] << 21) | (n >= 3 ? c[s + 2] : 0);
        uint32_t last = n >= 4 ? c[s + 3] : 0;
        size_t j = (size_t)mix64(key ^ ((uint64_t)last << 1) ^ ((uint64_t)last << 40)) & (capacity - 1);
        exact_slot *slot = &table[j];
        while (slot->count && (slot->key != key || slot->last != last)) {
            j = (j + 1) & (capacity - 1);
            slot = &table[j];
        }
        if (!slot->count) {
            slot->key = key;
            slot->last = last;
        }
        slot_of[s] = (int32_t)j;
        if (++slot->count > best) best = slot->count;
    }
    if (counts != NULL) {
        Py_ssize_t again = 0;
        for (Py_ssize_t s = 0; s < length; s++) counts[s] = 1;
        run = 0;
        for (Py_ssize_t i = 0; i < length; i++) {
            if (c[i] == 0) {
                run = 0;
                continue;
            }
            if (++run < n) continue;
            Py_ssize_t s = i - n + 1;
            if (slot_of[s] >= 0) {
                counts[s] = table[slot_of[s]].count;
                again += counts[s] > 1;
            }
        }
        *repeated = again;
    }
    return best;
}

static int is_sentence_end(uint32_t code) {
    return code == 0x3002 || code == 0xFF01 || code == 0xFF1F || code == '!' || code == '?';
}

static PyObject *page_counts(PyObject *self, PyObject *args) {
    PyObject *text, *span_list, *junk_list;
    Py_buffer fold_view, letter_view, han_view;
    if (!PyArg_ParseTuple(args, "UOOy*y*y*", &text, &span_list, &junk_list, &fold_view, &letter_view, &han_view))
        return NULL;
    PyObject *spans = NULL, *junk = NULL, *result = NULL;
    Py_ssize_t *bounds = NULL;
    uint32_t *folded = NULL, *letters = NULL;
    uint64_t *line_hash = NULL;
    Py_ssize_t *line_slots = NULL;
    int32_t *line_counts = NULL;
    ngram_slot *table = NULL;
    exact_slot *exact = NULL;
    if (check(&fold_view, 4, -1, "fold") || check(&letter_view, 1, -1, "letters") || check(&han_view, 1, -1, "han"))
        goto done;
    if (letter_view.len == 0) {
        PyErr_SetString(PyExc_ValueError, "letters: empty table");
        goto done;
    }
    spans = PySequence_Fast(span_list, "spans: expected a sequence");
    junk = PySequence_Fast(junk_list, "junk: expected a sequence");
    if (spans == NULL || junk == NULL) goto done;
    Py_ssize_t lines = PySequence_Fast_GET_SIZE(spans);
    if (PySequence_Fast_GET_SIZE(junk) != lines) {
        PyErr_SetString(PyExc_ValueError, "junk: one flag per span expected");
        goto done;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(text) < 0) goto done;
#endif
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const uint32_t *fold = (const uint32_t *)fold_view.buf;
    const uint8_t *letter = (const uint8_t *)letter_view.buf;
    const uint8_t *han_table = (const uint8_t *)han_view.buf;
    Py_ssize_t fold_size = fold_view.len / 4, letter_last = letter_view.len - 1, han_size = han_view.len;
    bounds = PyMem_Malloc((2 * lines + 1) * sizeof(Py_ssize_t));
    if (bounds == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t chars = 0;
    for (Py_ssize_t i = 0; i < lines; i++) {
        PyObject *span = PySequence_Fast_GET_ITEM(spans, i);
        if (!PyTuple_Check(span) || PyTuple_GET_SIZE(span) != 2) {
            PyErr_SetString(PyExc_TypeError, "spans: expected (start, end) tuples");
            goto done;
        }
        Py_ssize_t start = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 0));
        Py_ssize_t end = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 1));
        if (PyErr_Occurred()) goto done;
        if (start < 0) start = 0;
        if (end > n) end = n;
        while (start < end && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, start))) start++;
        while (end > start && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, end - 1))) end--;
        if (end < start) end = start;
        bounds[2 * i] = start;
        bounds[2 * i + 1] = end;
        chars += end - start;
    }
    if (chars >= INT32_MAX / 2) {
        PyErr_SetString(PyExc_ValueError, "text: too long");
        goto done;
    }
    folded = PyMem_Malloc((chars + 1) * sizeof(uint32_t));
    letters = PyMem_Malloc((chars + 1) * sizeof(uint32_t));
    line_hash = PyMem_Malloc((lines + 1) * sizeof(uint64_t));
    line_counts = PyMem_Calloc(lines + 1, sizeof(int32_t));
    size_t line_capacity = 16;
    while (line_capacity < 2 * (size_t)lines) line_capacity <<= 1;
    line_slots = PyMem_Malloc(line_capacity * sizeof(Py_ssize_t));
    size_t capacity = 16;
    while (capacity < 2 * (size_t)chars) capacity <<= 1;
    table = PyMem_Malloc(capacity * sizeof(ngram_slot));
    exact = PyMem_Malloc(capacity * sizeof(exact_slot));
    if (!folded || !letters || !line_hash || !line_counts || !line_slots || !table || !exact) {
        PyErr_NoMemory();
        goto done;
    }
    long long han = 0, junk_chars = 0, letter_count = 0;
    Py_ssize_t at = 0;
    for (Py_ssize_t i = 0; i < lines; i++) {
        uint64_t hash = 1469598103934665603ULL;
        for (Py_ssize_t p = bounds[2 * i]; p < bounds[2 * i + 1]; p++, at++) {
            uint32_t code = PyUnicode_READ(kind, data, p);
            if (han >= 0) {
                if ((Py_ssize_t)code < han_size)
                    han += han_table[code] != 0;
                else
                    han = -1;
            }
            uint32_t f = (Py_ssize_t)code < fold_size ? fold[code] : code;
            folded[at] = f;
            letters[at] = letter[(Py_ssize_t)f < letter_last ? (Py_ssize_t)f : letter_last] ? f : 0;
            letter_count += letters[at] != 0;
            hash = (hash ^ f) * 1099511628211ULL;
        }
        line_hash[i] = mix64(hash ^ (uint64_t)(bounds[2 * i + 1] - bounds[2 * i]));
        int bad = PyObject_IsTrue(PySequence_Fast_GET_ITEM(junk, i));
        if (bad < 0) goto done;
        if (bad) junk_chars += bounds[2 * i + 1] - bounds[2 * i];
    }
    /* Repeated lines: a table of line indices keyed by folded content; line_counts[first] counts the copies. */
    for (size_t j = 0; j < line_capacity; j++) line_slots[j] = -1;
    Py_ssize_t offset = 0;
    Py_ssize_t *first_of = PyMem_Malloc((lines + 1) * sizeof(Py_ssize_t));
    Py_ssize_t *offsets = PyMem_Malloc((lines + 1) * sizeof(Py_ssize_t));
    if (first_of == NULL || offsets == NULL) {
        PyMem_Free(first_of);
        PyMem_Free(offsets);
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < lines; i++) {
        Py_ssize_t size = bounds[2 * i + 1] - bounds[2 * i];
        offsets[i] = offset;
        size_t j = (size_t)line_hash[i] & (line_capacity - 1);
        while (line_slots[j] >= 0) {
            Py_ssize_t k = line_slots[j];
            if (line_hash[k] == line_hash[i] && bounds[2 * k + 1] - bounds[2 * k] == size &&
                memcmp(folded + offsets[k], folded + offset, (size_t)size * 4) == 0)
                break;
            j = (j + 1) & (line_capacity - 1);
        }
        if (line_slots[j] < 0) line_slots[j] = i;
        first_of[i] = line_slots[j];
        line_counts[first_of[i]]++;
        offset += size;
    }
    long long dup = 0, dup_junk = 0;
    for (Py_ssize_t i = 0; i < lines; i++) {
        if (line_counts[first_of[i]] < 2) continue;
        Py_ssize_t size = bounds[2 * i + 1] - bounds[2 * i];
        dup += size;
        int prose = 0;
        for (Py_ssize_t p = bounds[2 * i]; p < bounds[2 * i + 1] && !prose; p++)
            prose = is_sentence_end(PyUnicode_READ(kind, data, p));
        if (!prose || PyObject_IsTrue(PySequence_Fast_GET_ITEM(junk, i))) dup_junk += size;
    }
    PyMem_Free(first_of);
    PyMem_Free(offsets);
    double entropy = 0.0;
    int32_t top[3] = {0, 0, 0};
    if (letter_count) {
        int32_t *counts = PyMem_Malloc((chars + 1) * 2 * sizeof(int32_t));
        int32_t *slot_of = PyMem_Malloc((chars + 1) * sizeof(int32_t));
        if (counts == NULL || slot_of == NULL) {
            PyMem_Free(counts);
            PyMem_Free(slot_of);
            PyErr_NoMemory();
            goto done;
        }
        Py_ssize_t repeated = 0;
        int32_t *previous = counts, *next = counts + chars + 1;
        entropy = entropy_of(letters, chars, capacity, table, slot_of, previous, &repeated);
        for (Py_ssize_t g = 2; g <= 4; g++) {
            top[g - 2] = top_ngram(letters, chars, g, exact, repeated, previous, slot_of, g < 4 ? next : NULL, &repeated);
            int32_t *swap = previous;
            previous = next;
            next = swap;
        }
        PyMem_Free(counts);
        PyMem_Free(slot_of);
    }
    result = Py_BuildValue("(nLLLLLdiii)", chars, han, dup, dup_junk, junk_chars, letter_count, entropy, top[0], top[1],
                           top[2]);
done:
    Py_XDECREF(spans);
    Py_XDECREF(junk);
    PyMem_Free(bounds);
    PyMem_Free(folded);
    PyMem_Free(letters);
    PyMem_Free(line_hash);
    PyMem_Free(line_counts);
    PyMem_Free(line_slots);
    PyMem_Free(table);
    PyMem_Free(exact);
    PyBuffer_Release(&fold_view);
    PyBuffer_Release(&letter_view);
    PyBuffer_Release(&han_view);
    return result;
}

static PyMethodDef methods[] = {
    {"candidates", candidates, METH_VARARGS,
     "candidates(codes, starts, opening_pairs, pair_words, opening_triples, single) -> list of positions"
     " (tables packed one bit per entry)"},
    {"match", match, METH_VARARGS,
     "match(codes, candidates, keys, offsets, flat, ids, boundary, single_codes, single_ids, single_boundary)"
     " -> (positions, ids)"},
    {"find", find, METH_VARARGS,
     "find(codes, <candidates' five tables>, <match's eight tables>) -> (positions, ids) as int64 bytearrays"},
    {"span_counts", span_counts, METH_VARARGS,
     "span_counts(classes, starts, ends) -> (lengths, han, digits, latin, sentence_ends, commas, separators,"
     " exclaims, gaps)"},
    {"line_hits", line_hits, METH_VARARGS,
     "line_hits(positions, ids, starts, ends, rows, columns, label_bits, present_column)"
     " -> [(line, mask, sums, offsets, ids)]"},
    {"line_spans", line_spans, METH_O, "line_spans(text) -> (spans, numbers)"},
    {"packed_prefix_sums", packed_prefix_sums, METH_VARARGS, "packed_prefix_sums(classes, fields, out) -> None"},
    {"gloss_brackets", gloss_brackets, METH_VARARGS, "gloss_brackets(codes, kinds) -> (opens, closes)"},
    {"page_counts", page_counts, METH_VARARGS,
     "page_counts(text, spans, junk, fold, letters, han) -> (chars, han, dup, dup_junk, junk_chars, letters, entropy,"
     " top2, top3, top4)"},
    {"ngram_stats", ngram_stats, METH_VARARGS, "ngram_stats(codes, max_n) -> (entropy, top count for n = 2 .. max_n)"},
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

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_scan", "Compiled candidate filter of the spam lexicon.", 0, methods, slots};

PyMODINIT_FUNC PyInit__scan(void) { return PyModuleDef_Init(&module); }
