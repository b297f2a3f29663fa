#pragma once

#include "git/gitrepository.h"
#include "git/gittypes.h"
#include "kubeobj/object.h"
#include "manifest/desiredobject.h"
#include "model/error.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <memory>

// Which commit last changed each line of a desired object: the provenance gutter of the diff's
// desired side, and what the CLI's `blame` prints for each drifted field.
//
// The diff shows the canonical YAML (keys sorted), not the file, so lines are matched by value:
// each canonical line's JSON pointer (yaml::canonicalLinePointers) is looked up among the pointers
// the reader recorded while parsing the source file, and the commit comes from blame of that
// source line. A line with no place in the file — added by the renderer, from a Helm template or a
// Kustomize patch, merged in through a YAML merge key — gets the newest commit among the lines of
// the object's document instead (the whole file for tool output), marked inexact.
namespace driftdeck::provenance {

struct LineProvenance {
    QString commitId;
    QString shortId; // the first 7 digits, as git abbreviates
    QString author;
    QDateTime time; // author time
    QString summary;
    // The commit of the line's own source lines. False for the per-object answer, and when blame
    // stopped at its depth limit (the line is at least as old as the commit given).
    bool exact = false;
    int sourceLine = 0; // 1-based line in the source file the answer came from; 0 for per-object

    bool isNull() const { return commitId.isEmpty(); }
    // "3f2a9c1 Bob Builder 2024-02-01": the gutter's text (short id, author, date).
    QString toText() const;
    friend bool operator==(const LineProvenance&, const LineProvenance&) = default;
};

// A source file at a revision with its blame: what DesiredProvenance needs, read once for all the
// objects of the file.
struct BlamedFile {
    QString path; // repository-relative
    QByteArray text;
    QList<git::BlameLine> lines; // one per line of `text`
};

// Reads `file` (a DesiredObject::Source::file, relative to the application's `appPath`) and its
// blame at `revision`. Runs libgit2: call it on the repository's thread (GitWorker::run), once per
// file. The path rules and limits are GitRepository::blame()'s.
Result<BlamedFile> blameSourceFile(const git::GitRepository& repository, const QString& revision,
                                   const QString& appPath, const QString& file,
                                   const git::ReadLimits& limits = {});

// The provenance of one desired object, computed once and asked per line or per field.
class DesiredProvenance {
public:
    // `desired` as rendered; `source` where the renderer found it; `fileText` that file at the
    // rendered revision (the renderer's directory-relative `source.file` inside the repository);
    // `blame` git::blameLines() of the same file at the same revision. Errors when the inputs
    // disagree (blame and text of different lengths, no document `source.documentIndex`, a
    // document that is another object) or the file does not parse: they came from different
    // revisions. Tool output (source.line == 0, whose document index is not the file's) is
    // answered per object from the whole file.
    static Result<DesiredProvenance> build(const kubeobj::Object& desired,
                                           const manifest::DesiredObject::Source& source,
                                           const QByteArray& fileText, const QList<git::BlameLine>& blame);

    static Result<DesiredProvenance> build(const kubeobj::Object& desired,
                                           const manifest::DesiredObject::Source& source,
                                           const BlamedFile& file);

    DesiredProvenance();
    DesiredProvenance(const DesiredProvenance&);
    DesiredProvenance& operator=(const DesiredProvenance&);
    ~DesiredProvenance();

    // One entry per line of desired.yamlLines().
    QList<LineProvenance> lines() const;
    // The field at a JSON pointer (RFC 6901) of the desired object: exact when the file writes
    // it, else the per-object answer (a field only live has, one the renderer added).
    LineProvenance ofPointer(const QString& pointer) const;
    // The newest commit among the lines of the object's document (null for an empty range).
    LineProvenance perObject() const;

private:
    struct Data;
    std::shared_ptr<const Data> d;
};

// One-shot forms of the above.
Result<QList<LineProvenance>> provenanceOfLines(const kubeobj::Object& desired,
                                                const manifest::DesiredObject::Source& source,
                                                const QByteArray& fileText,
                                                const QList<git::BlameLine>& blame);
Result<LineProvenance> provenanceOfPointer(const QString& pointer, const kubeobj::Object& desired,
                                           const manifest::DesiredObject::Source& source,
                                           const QByteArray& fileText, const QList<git::BlameLine>& blame);

} // namespace driftdeck::provenance
