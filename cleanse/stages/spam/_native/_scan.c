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

static PyObject *candidates(PyObject *self, PyObject *args) {
    Py_buffer codes, starts, opening_pairs, pair_words, opening_triples, single;
    if (!PyArg_ParseTuple(args, "y*y*y*y*y*y*", &codes, &starts, &opening_pairs, &pair_words, &opening_triples,
                          &single))
        return NULL;
    PyObject *found = NULL;
    if (check(&codes, 4, -1, "codes") || check(&starts, 1, TABLE_SIZE, "starts") ||
        check(&opening_pairs, 1, TABLE_SIZE, "opening_pairs") || check(&pair_words, 1, TABLE_SIZE, "pair_words") ||
        check(&opening_triples, 1, TABLE_SIZE, "opening_triples") || check(&single, 1, TABLE_SIZE, "single"))
        goto done;
    found = PyList_New(0);
    if (found == NULL) goto done;
    const uint32_t *text = (const uint32_t *)codes.buf;
    const uint8_t *starts_word = (const uint8_t *)starts.buf, *pairs = (const uint8_t *)opening_pairs.buf;
    const uint8_t *whole_pairs = (const uint8_t *)pair_words.buf, *triples = (const uint8_t *)opening_triples.buf;
    const uint8_t *singles = (const uint8_t *)single.buf;
    Py_ssize_t n = codes.len / 4, last = n - 1;
    for (Py_ssize_t p = 0; p < n; p++) {
        uint32_t first = table_code(text, p, last);
        if (!starts_word[first]) continue;
        uint32_t pair = (first * HASH_MULTIPLIER + table_code(text, p + 1, last)) & (TABLE_SIZE - 1);
        int opens = pairs[pair] &&
                    (whole_pairs[pair] ||
                     triples[(pair * HASH_MULTIPLIER + table_code(text, p + 2, last)) & (TABLE_SIZE - 1)]);
        if (opens || singles[first]) {
            PyObject *position = PyLong_FromSsize_t(p);
            if (position == NULL || PyList_Append(found, position) < 0) {
                Py_XDECREF(position);
                Py_CLEAR(found);
                goto done;
            }
            Py_DECREF(position);
        }
    }
done:
    PyBuffer_Release(&codes);
    PyBuffer_Release(&starts);
    PyBuffer_Release(&opening_pairs);
    PyBuffer_Release(&pair_words);
    PyBuffer_Release(&opening_triples);
    PyBuffer_Release(&single);
    return found;
}


static inline int ascii_letter(uint32_t code) { return (code >= 'a' && code <= 'z') || (code >= 'A' && code <= 'Z'); }

/* An ASCII word must not be glued to ASCII letters on either side (lexicon.py's _standalone). */
static inline int standalone(const uint32_t *text, Py_ssize_t n, Py_ssize_t position, Py_ssize_t length) {
    Py_ssize_t end = position + length;
    if (ascii_letter(text[position]) && position > 0 && ascii_letter(text[position - 1])) return 0;
    return !(ascii_letter(text[end - 1]) && end < n && ascii_letter(text[end]));
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
    Py_buffer codes, keys, offsets, flat, ids, boundary, single_codes, single_ids, single_boundary;
    if (!PyArg_ParseTuple(args, "y*O!y*y*y*y*y*y*y*y*", &codes, &PyList_Type, &candidate_list, &keys, &offsets,
                          &flat, &ids, &boundary, &single_codes, &single_ids, &single_boundary))
        return NULL;
    PyObject *positions = NULL, *found_ids = NULL, *result = NULL;
    Py_ssize_t words = keys.len / 8, singles = single_codes.len / 4;
    if (check(&codes, 4, -1, "codes") || check(&keys, 8, -1, "keys") || check(&offsets, 8, words + 1, "offsets") ||
        check(&flat, 4, -1, "flat") || check(&ids, 8, words, "ids") || check(&boundary, 1, words, "boundary") ||
        check(&single_codes, 4, -1, "single_codes") || check(&single_ids, 8, singles, "single_ids") ||
        check(&single_boundary, 1, singles, "single_boundary"))
        goto done;
    const uint32_t *text = (const uint32_t *)codes.buf, *word_codes = (const uint32_t *)flat.buf;
    const int64_t *key = (const int64_t *)keys.buf, *offset = (const int64_t *)offsets.buf;
    const int64_t *word_id = (const int64_t *)ids.buf, *single_id = (const int64_t *)single_ids.buf;
    const uint8_t *needs_boundary = (const uint8_t *)boundary.buf;
    const uint8_t *single_needs_boundary = (const uint8_t *)single_boundary.buf;
    const uint32_t *single_code = (const uint32_t *)single_codes.buf;
    Py_ssize_t n = codes.len / 4, flat_size = flat.len / 4;
    for (Py_ssize_t k = 0; k < words; k++) {
        if (offset[k] < 0 || offset[k + 1] > flat_size || offset[k + 1] - offset[k] < 2) {
            PyErr_SetString(PyExc_ValueError, "offsets: words of two or more code points inside the table expected");
            goto done;
        }
    }
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
        int matched = 0;
        if (position + 1 < n) {
            int64_t wanted = ((int64_t)text[position] << 21) | (int64_t)text[position + 1];
            Py_ssize_t lo = 0, hi = words;
            while (lo < hi) {
                Py_ssize_t mid = lo + (hi - lo) / 2;
                if (key[mid] < wanted) lo = mid + 1;
                else hi = mid;
            }
            for (Py_ssize_t k = lo; k < words && key[k] == wanted; k++) {
                Py_ssize_t length = (Py_ssize_t)(offset[k + 1] - offset[k]);
                if (position + length > n) continue;
                const uint32_t *word = word_codes + offset[k];
                Py_ssize_t j = 2;
                while (j < length && text[position + j] == word[j]) j++;
                if (j < length || (needs_boundary[k] && !standalone(text, n, position, length))) continue;
                if (append_pair(positions, found_ids, position, word_id[k]) < 0) goto done;
                covered = position + length;
                matched = 1;
                break;
            }
        }
        if (!matched) {
            for (Py_ssize_t k = 0; k < singles; k++) {
                if (single_code[k] != text[position]) continue;
                if (single_needs_boundary[k] && !standalone(text, n, position, 1)) break;
                if (append_pair(positions, found_ids, position, single_id[k]) < 0) goto done;
                covered = position + 1;
                break;
            }
        }
    }
    result = PyTuple_Pack(2, positions, found_ids);
done:
    Py_XDECREF(positions);
    Py_XDECREF(found_ids);
    PyBuffer_Release(&codes);
    PyBuffer_Release(&keys);
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&flat);
    PyBuffer_Release(&ids);
    PyBuffer_Release(&boundary);
    PyBuffer_Release(&single_codes);
    PyBuffer_Release(&single_ids);
    PyBuffer_Release(&single_boundary);
    return result;
}

static PyMethodDef methods[] = {
    {"candidates", candidates, METH_VARARGS,
     "candidates(codes, starts, opening_pairs, pair_words, opening_triples, single) -> list of positions"},
    {"match", match, METH_VARARGS,
     "match(codes, candidates, keys, offsets, flat, ids, boundary, single_codes, single_ids, single_boundary)"
     " -> (positions, ids)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_scan", "Compiled candidate filter of the spam lexicon.",
                                    -1, methods};

PyMODINIT_FUNC PyInit__scan(void) { return PyModule_Create(&module); }
