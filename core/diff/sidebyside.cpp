#include "diff/sidebyside.h"

#include <algorithm>
#include <vector>

namespace driftdeck::diff {

namespace {

// How alike two lines are, from 0 to 1: the shared prefix and suffix against their total length.
// Cheap enough for every pair of a replaced block, and for YAML, where a line is mostly its key
// and indentation, it pairs a changed value with its old line. Each scan stops after kScanLimit
// characters, so huge lines cost no more than short ones (and come out as not similar).
constexpr int kScanLimit = 256;

double similarity(const QString& a, const QString& b) {
    const int total = int(a.size() + b.size());
    if (total == 0)
        return 1.0;
    const int shorter = int(std::min({a.size(), b.size(), qsizetype(2 * kScanLimit)}));
    int prefix = 0;
    while (prefix < std::min(shorter, kScanLimit) && a.at(prefix) == b.at(prefix))
        ++prefix;
    int suffix = 0;
    while (suffix < std::min(shorter - prefix, kScanLimit) &&
           a.at(a.size() - 1 - suffix) == b.at(b.size() - 1 - suffix))
        ++suffix;
    return 2.0 * (prefix + suffix) / total;
}

constexpr double kPairingSimilarity = 0.5;

class RowBuilder {
public:
    RowBuilder(const QStringList& left, const QStringList& right, const SideBySideOptions& options,
               const LineAnnotations& annotations)
        : m_left(left)
        , m_right(right)
        , m_options(options)
        , m_annotations(annotations) {}

    QList<Row> build() {
        const EditScript script = diffLines(m_left, m_right, m_options.lines);
        const EditCounts counts = editCounts(script);
        m_rows.reserve(m_left.size() + counts.inserted); // at most one row per line of either side
        for (qsizetype i = 0; i < script.size(); ++i) {
            const EditRange& run = script[i];
            if (run.kind == EditKind::Equal) {
                for (int k = 0; k < run.count; ++k)
                    m_rows.append(Row{{line(Side::Left, run.leftStart + k, LineKind::Context),
                                       line(Side::Right, run.rightStart + k, LineKind::Context)}});
            } else if (run.kind == EditKind::Delete && i + 1 < script.size() &&
                       script[i + 1].kind == EditKind::Insert) {
                replaced(run.leftStart, run.count, script[i + 1].rightStart, script[i + 1].count);
                ++i;
            } else if (run.kind == EditKind::Delete) {
                replaced(run.leftStart, run.count, run.rightStart, 0);
            } else {
                replaced(run.leftStart, 0, run.rightStart, run.count);
            }
        }
        return std::move(m_rows);
    }

private:
    SideLine line(Side side, int index, LineKind kind) const {
        SideLine out;
        out.number = index + 1;
        out.kind = kind;
        if (side == Side::Left) {
            out.text = m_left[index];
            out.provenance = m_annotations.leftProvenance.value(index);
        } else {
            out.text = m_right[index];
            out.owner = m_annotations.rightOwners.value(index);
        }
        return out;
    }

    // Pairs of a replaced block that share a row: the most pairs of similar lines, in order (an LCS
    // over "similar enough"), the earliest on a tie, so a changed line followed by new ones pairs
    // with the first of them. Only for blocks small enough to afford the table.
    std::vector<std::pair<int, int>> similarPairs(int leftStart, int leftCount, int rightStart,
                                                  int rightCount) const {
        std::vector<std::pair<int, int>> pairs;
        if (leftCount == 0 || rightCount == 0 || qint64(leftCount) * rightCount > m_options.maxAlignCells)
            return pairs;
        const size_t width = size_t(rightCount) + 1;
        std::vector<bool> similar(size_t(leftCount) * width, false);
        std::vector<int> best((size_t(leftCount) + 1) * width, 0);
        auto cell = [width](int i, int j) { return size_t(i) * width + size_t(j); };
        for (int i = leftCount - 1; i >= 0; --i) {
            for (int j = rightCount - 1; j >= 0; --j) {
                similar[cell(i, j)] =
                    similarity(m_left[leftStart + i], m_right[rightStart + j]) >= kPairingSimilarity;
                int b = std::max(best[cell(i + 1, j)], best[cell(i, j + 1)]);
                if (similar[cell(i, j)])
                    b = std::max(b, 1 + best[cell(i + 1, j + 1)]);
                best[cell(i, j)] = b;
            }
        }
        int i = 0, j = 0;
        while (i < leftCount && j < rightCount && best[cell(i, j)] > 0) {
            if (similar[cell(i, j)] && best[cell(i, j)] == 1 + best[cell(i + 1, j + 1)]) {
                pairs.emplace_back(i, j);
                ++i;
                ++j;
            } else if (best[cell(i, j)] == best[cell(i, j + 1)]) {
                ++j;
            } else {
                ++i;
            }
        }
        return pairs;
    }

    void replaced(int leftStart, int leftCount, int rightStart, int rightCount) {
        auto pairs = similarPairs(leftStart, leftCount, rightStart, rightCount);
        pairs.emplace_back(leftCount, rightCount); // the block's end closes the last gap
        int i = 0, j = 0;
        for (const auto& [pi, pj] : pairs) {
            // Lines between two similar pairs share rows in order, fillers opposite the surplus.
            while (i < pi || j < pj) {
                appendPair(i < pi ? leftStart + i : -1, j < pj ? rightStart + j : -1);
                if (i < pi)
                    ++i;
                if (j < pj)
                    ++j;
            }
            if (pi < leftCount) {
                appendPair(leftStart + pi, rightStart + pj);
                i = pi + 1;
                j = pj + 1;
            }
        }
    }

    void appendPair(int leftIndex, int rightIndex) {
        Row row;
        if (leftIndex >= 0 && rightIndex >= 0) {
            row.sides = {line(Side::Left, leftIndex, LineKind::Removed),
                         line(Side::Right, rightIndex, LineKind::Added)};
            const auto words = diffWords(m_left[leftIndex], m_right[rightIndex], m_options.words);
            if (words && (!words->left.isEmpty() || !words->right.isEmpty())) {
                row.sides[0].kind = LineKind::Changed;
                row.sides[0].changed = words->left;
                row.sides[1].kind = LineKind::Changed;
                row.sides[1].changed = words->right;
            }
        } else if (leftIndex >= 0) {
            row.sides[0] = line(Side::Left, leftIndex, LineKind::Removed);
        } else {
            row.sides[1] = line(Side::Right, rightIndex, LineKind::Added);
        }
        m_rows.append(std::move(row));
    }

    const QStringList& m_left;
    const QStringList& m_right;
    const SideBySideOptions& m_options;
    const LineAnnotations& m_annotations;
    QList<Row> m_rows;
};

// Cuts rows into chunks: unchanged runs far from any change become folded chunks.
QList<Chunk> chunked(QList<Row> rows, const SideBySideOptions& options) {
    QList<Chunk> chunks;
    auto open = [&chunks]() -> Chunk& {
        if (chunks.isEmpty() || chunks.last().folded)
            chunks.append(Chunk{});
        return chunks.last();
    };
    const int context = std::max(0, options.context);
    const int n = int(rows.size());
    int r = 0;
    while (r < n) {
        if (!rows[r].isContext()) {
            Chunk& chunk = open();
            chunk.rows.append(std::move(rows[r++]));
            chunk.hasChanges = true;
            continue;
        }
        const int start = r;
        while (r < n && rows[r].isContext())
            ++r;
        const int keepBefore = start == 0 ? 0 : context;
        const int keepAfter = r == n ? 0 : context;
        const int hidden = (r - start) - keepBefore - keepAfter;
        if (!options.fold || hidden <= 0) {
            Chunk& chunk = open();
            for (int k = start; k < r; ++k)
                chunk.rows.append(std::move(rows[k]));
            continue;
        }
        if (keepBefore > 0) {
            Chunk& chunk = open();
            for (int k = start; k < start + keepBefore; ++k)
                chunk.rows.append(std::move(rows[k]));
        }
        Chunk fold;
        fold.folded = true;
        for (int k = start + keepBefore; k < r - keepAfter; ++k)
            fold.rows.append(std::move(rows[k]));
        chunks.append(std::move(fold));
        for (int k = r - keepAfter; k < r; ++k)
            open().rows.append(std::move(rows[k]));
    }
    return chunks;
}

} // namespace

int SideBySide::rowCount() const {
    int n = 0;
    for (const Chunk& chunk : chunks)
        n += int(chunk.rows.size());
    return n;
}

QList<Row> SideBySide::rows() const {
    QList<Row> out;
    out.reserve(rowCount());
    for (const Chunk& chunk : chunks)
        out.append(chunk.rows);
    return out;
}

QStringList splitLines(const QString& text) {
    if (text.isEmpty())
        return {};
    QStringList lines = text.split(QLatin1Char('\n'));
    if (text.endsWith(QLatin1Char('\n')))
        lines.removeLast();
    return lines;
}

SideBySide buildSideBySide(const QStringList& left, const QStringList& right,
                           const SideBySideOptions& options, const LineAnnotations& annotations) {
    SideBySide model;
    model.leftLineCount = int(left.size());
    model.rightLineCount = int(right.size());
    QList<Row> rows = RowBuilder(left, right, options, annotations).build();
    for (const Row& row : rows) {
        if (row.isContext())
            continue;
        model.removedLines += row.left().isFiller() ? 0 : 1;
        model.addedLines += row.right().isFiller() ? 0 : 1;
    }
    model.chunks = chunked(std::move(rows), options);
    return model;
}

} // namespace driftdeck::diff
