#include "diff/linediff.h"

#include <QHash>
#include <QStringView>

#include <algorithm>
#include <climits>
#include <cmath>
#include <vector>

namespace driftdeck::diff {

namespace {

// Marks which symbols of each side are not part of the common subsequence. The middle snake of
// Myers' paper ("An O(ND) Difference Algorithm and Its Variations", 1986, section 4b) splits each
// sub-problem in two, so memory stays linear; an explicit stack replaces recursion, whose depth
// would follow the input under the cost bound.
class MyersMarker {
public:
    MyersMarker(std::span<const int> left, std::span<const int> right, int maxCost)
        : deleted(left.size(), false)
        , inserted(right.size(), false)
        , m_a(left)
        , m_b(right)
        , m_maxCost(maxCost)
        , m_offset(int(right.size()) + 1)
        , m_forward(left.size() + right.size() + 3)
        , m_backward(left.size() + right.size() + 3) {}

    void run() {
        struct Task {
            int xoff, xlim, yoff, ylim;
            bool minimal;
        };
        std::vector<Task> stack{{0, int(m_a.size()), 0, int(m_b.size()), false}};
        while (!stack.empty()) {
            Task t = stack.back();
            stack.pop_back();
            while (t.xoff < t.xlim && t.yoff < t.ylim && m_a[t.xoff] == m_b[t.yoff]) {
                ++t.xoff;
                ++t.yoff;
            }
            while (t.xoff < t.xlim && t.yoff < t.ylim && m_a[t.xlim - 1] == m_b[t.ylim - 1]) {
                --t.xlim;
                --t.ylim;
            }
            if (t.xoff == t.xlim) {
                std::fill(inserted.begin() + t.yoff, inserted.begin() + t.ylim, true);
            } else if (t.yoff == t.ylim) {
                std::fill(deleted.begin() + t.xoff, deleted.begin() + t.xlim, true);
            } else {
                const Split s = split(t.xoff, t.xlim, t.yoff, t.ylim, t.minimal);
                stack.push_back({s.x, t.xlim, s.y, t.ylim, s.highMinimal});
                stack.push_back({t.xoff, s.x, t.yoff, s.y, s.lowMinimal});
            }
        }
    }

    std::vector<bool> deleted;
    std::vector<bool> inserted;

private:
    struct Split {
        int x = 0;
        int y = 0;
        bool lowMinimal = true;
        bool highMinimal = true;
    };

    int& fd(int diagonal) { return m_forward[size_t(diagonal + m_offset)]; }
    int& bd(int diagonal) { return m_backward[size_t(diagonal + m_offset)]; }

    // Finds a point on an optimal path through [xoff,xlim)×[yoff,ylim) by searching from both ends
    // at once; diagonals are k = x - y. Both ranges are non-empty and differ at both ends.
    Split split(int xoff, int xlim, int yoff, int ylim, bool minimal) {
        const int dmin = xoff - ylim;
        const int dmax = xlim - yoff;
        const int fmid = xoff - yoff;
        const int bmid = xlim - ylim;
        int fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
        const bool odd = ((fmid - bmid) & 1) != 0;
        fd(fmid) = xoff;
        bd(bmid) = xlim;
        for (int cost = 1;; ++cost) {
            // One more edit forwards.
            if (fmin > dmin)
                fd(--fmin - 1) = -1;
            else
                ++fmin;
            if (fmax < dmax)
                fd(++fmax + 1) = -1;
            else
                --fmax;
            for (int d = fmax; d >= fmin; d -= 2) {
                const int low = fd(d - 1), high = fd(d + 1);
                int x = low >= high ? low + 1 : high;
                int y = x - d;
                while (x < xlim && y < ylim && m_a[x] == m_b[y]) {
                    ++x;
                    ++y;
                }
                fd(d) = x;
                if (odd && bmin <= d && d <= bmax && bd(d) <= x)
                    return {x, y, true, true};
            }
            // One more edit backwards.
            if (bmin > dmin)
                bd(--bmin - 1) = INT_MAX;
            else
                ++bmin;
            if (bmax < dmax)
                bd(++bmax + 1) = INT_MAX;
            else
                --bmax;
            for (int d = bmax; d >= bmin; d -= 2) {
                const int low = bd(d - 1), high = bd(d + 1);
                int x = low < high ? low : high - 1;
                int y = x - d;
                while (xoff < x && yoff < y && m_a[x - 1] == m_b[y - 1]) {
                    --x;
                    --y;
                }
                bd(d) = x;
                if (!odd && fmin <= d && d <= fmax && x <= fd(d))
                    return {x, y, true, true};
            }
            if (!minimal && cost >= m_maxCost)
                return furthestPoint(xoff, xlim, yoff, ylim, fmin, fmax, bmin, bmax);
        }
    }

    // Too expensive: split where either search got furthest. The half that search covered is then
    // solved exactly (its cost is known to be small); the other half keeps the bound.
    Split furthestPoint(int xoff, int xlim, int yoff, int ylim, int fmin, int fmax, int bmin, int bmax) {
        int forwardBest = -1, forwardX = xoff;
        for (int d = fmax; d >= fmin; d -= 2) {
            int x = std::min(fd(d), xlim);
            int y = x - d;
            if (y > ylim) {
                x = ylim + d;
                y = ylim;
            }
            if (x + y > forwardBest) {
                forwardBest = x + y;
                forwardX = x;
            }
        }
        int backwardBest = INT_MAX, backwardX = xlim;
        for (int d = bmax; d >= bmin; d -= 2) {
            int x = std::max(xoff, bd(d));
            int y = x - d;
            if (y < yoff) {
                x = yoff + d;
                y = yoff;
            }
            if (x + y < backwardBest) {
                backwardBest = x + y;
                backwardX = x;
            }
        }
        if ((xlim + ylim) - backwardBest < forwardBest - (xoff + yoff))
            return {forwardX, forwardBest - forwardX, true, false};
        return {backwardX, backwardBest - backwardX, false, true};
    }

    std::span<const int> m_a;
    std::span<const int> m_b;
    int m_maxCost;
    int m_offset;
    std::vector<int> m_forward;
    std::vector<int> m_backward;
};

void append(EditScript& script, EditKind kind, int leftStart, int rightStart, int count) {
    if (count <= 0)
        return;
    if (!script.isEmpty() && script.last().kind == kind) {
        script.last().count += count;
        return;
    }
    script.append({kind, leftStart, rightStart, count});
}

// Rebuilds the invariants of EditScript after runs were moved or split.
EditScript normalised(const EditScript& runs) {
    EditScript out;
    int left = 0, right = 0;
    int i = 0;
    while (i < runs.size()) {
        if (runs[i].kind == EditKind::Equal) {
            append(out, EditKind::Equal, left, right, runs[i].count);
            left += runs[i].count;
            right += runs[i].count;
            ++i;
            continue;
        }
        int deleted = 0, inserted = 0;
        for (; i < runs.size() && runs[i].kind != EditKind::Equal; ++i)
            (runs[i].kind == EditKind::Delete ? deleted : inserted) += runs[i].count;
        append(out, EditKind::Delete, left, right, deleted);
        left += deleted;
        append(out, EditKind::Insert, left, right, inserted);
        right += inserted;
    }
    return out;
}

int indentation(const QString& line) {
    int n = 0;
    while (n < line.size() && line.at(n) == QLatin1Char(' '))
        ++n;
    return n;
}

// A pure insertion or deletion between two equal runs can often sit at several positions with the
// same result. Choose the one whose first line is least indented; then one that ends or follows a
// "---" document separator, so an added document reads as one; then the lowest (as git does).
void slideToIndentation(EditScript& script, const QStringList& left, const QStringList& right) {
    for (qsizetype i = 1; i + 1 < script.size(); ++i) {
        EditRange& previous = script[i - 1];
        EditRange& block = script[i];
        EditRange& next = script[i + 1];
        if (block.kind == EditKind::Equal || previous.kind != EditKind::Equal || next.kind != EditKind::Equal)
            continue;
        const QStringList& lines = block.kind == EditKind::Insert ? right : left;
        const int start = block.kind == EditKind::Insert ? block.rightStart : block.leftStart;
        const int end = start + block.count;
        // Keep an equal line between two blocks, so sliding never merges them into one.
        const int upLimit = previous.count - (i > 1 ? 1 : 0);
        const int downLimit = next.count - (i + 2 < script.size() ? 1 : 0);
        int up = 0;
        while (up < upLimit && lines[start - 1 - up] == lines[end - 1 - up])
            ++up;
        int down = 0;
        while (down < downLimit && lines[start + down] == lines[end + down])
            ++down;
        if (up == 0 && down == 0)
            continue;
        const QString separator = QStringLiteral("---");
        int best = 0;
        std::pair<int, int> bestScore{INT_MAX, INT_MAX};
        for (int shift = -up; shift <= down; ++shift) {
            const int first = start + shift;
            const bool atSeparator =
                lines[first + block.count - 1] == separator || (first > 0 && lines[first - 1] == separator);
            const std::pair<int, int> score{indentation(lines[first]), atSeparator ? 0 : 1};
            if (score <= bestScore) {
                bestScore = score;
                best = shift;
            }
        }
        previous.count += best;
        block.leftStart += best;
        block.rightStart += best;
        next.leftStart += best;
        next.rightStart += best;
        next.count -= best;
    }
    script = normalised(script);
}

} // namespace

EditScript diffSymbols(std::span<const int> left, std::span<const int> right, int maxEditCost) {
    const int total = int(left.size() + right.size());
    if (maxEditCost <= 0)
        maxEditCost = std::max(1024, int(4 * std::sqrt(double(total))));
    MyersMarker marker(left, right, maxEditCost);
    marker.run();

    EditScript script;
    int x = 0, y = 0;
    const int n = int(left.size()), m = int(right.size());
    while (x < n || y < m) {
        const int x0 = x, y0 = y;
        while (x < n && y < m && !marker.deleted[size_t(x)] && !marker.inserted[size_t(y)]) {
            ++x;
            ++y;
        }
        append(script, EditKind::Equal, x0, y0, x - x0);
        const int x1 = x;
        while (x < n && marker.deleted[size_t(x)])
            ++x;
        append(script, EditKind::Delete, x1, y, x - x1);
        const int y1 = y;
        while (y < m && marker.inserted[size_t(y)])
            ++y;
        append(script, EditKind::Insert, x, y1, y - y1);
    }
    return normalised(script);
}

EditScript diffLines(const QStringList& left, const QStringList& right, const LineDiffOptions& options) {
    const int n = int(left.size()), m = int(right.size());
    int prefix = 0;
    while (prefix < n && prefix < m && left[prefix] == right[prefix])
        ++prefix;
    int suffix = 0;
    while (suffix < n - prefix && suffix < m - prefix && left[n - 1 - suffix] == right[m - 1 - suffix])
        ++suffix;

    // Equal lines get equal numbers, so Myers compares integers.
    QHash<QStringView, int> symbols;
    symbols.reserve(n + m - 2 * prefix - 2 * suffix);
    auto intern = [&symbols](const QStringList& lines, int from, int to) {
        std::vector<int> out;
        out.reserve(size_t(to - from));
        for (int i = from; i < to; ++i) {
            auto it = symbols.constFind(QStringView(lines[i]));
            if (it == symbols.constEnd())
                it = symbols.insert(QStringView(lines[i]), int(symbols.size()));
            out.push_back(it.value());
        }
        return out;
    };
    const std::vector<int> a = intern(left, prefix, n - suffix);
    const int leftSymbols = int(symbols.size());
    const std::vector<int> b = intern(right, prefix, m - suffix);
    // Symbols first seen on the right are numbered after the left's: when every right symbol is
    // such, the middles share no line (a replaced object) and need no search.
    const bool shareALine = std::any_of(b.begin(), b.end(), [leftSymbols](int s) { return s < leftSymbols; });

    EditScript script;
    append(script, EditKind::Equal, 0, 0, prefix);
    if (shareALine) {
        for (EditRange run : diffSymbols(a, b, options.maxEditCost)) {
            run.leftStart += prefix;
            run.rightStart += prefix;
            append(script, run.kind, run.leftStart, run.rightStart, run.count);
        }
    } else {
        append(script, EditKind::Delete, prefix, prefix, n - suffix - prefix);
        append(script, EditKind::Insert, n - suffix, prefix, m - suffix - prefix);
    }
    append(script, EditKind::Equal, n - suffix, m - suffix, suffix);
    script = normalised(script);
    if (options.slideToIndentation)
        slideToIndentation(script, left, right);
    return script;
}

EditCounts editCounts(const EditScript& script) {
    EditCounts counts;
    for (const EditRange& run : script) {
        if (run.kind == EditKind::Delete)
            counts.deleted += run.count;
        else if (run.kind == EditKind::Insert)
            counts.inserted += run.count;
    }
    return counts;
}

} // namespace driftdeck::diff
