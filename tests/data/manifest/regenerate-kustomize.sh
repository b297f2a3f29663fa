#!/usr/bin/env bash
# Regenerates the golden output of tests/manifest/corpus_test.cpp: what `kubectl kustomize` makes of
# each kustomization in the shared corpus (../shared/corpus beside the repository, or
# $DRIFTDECK_SHARED_DIR/corpus). The test renders the same directories with Driftdeck's kustomize
# renderer and compares object by object, so it no longer asks kubectl for the expected answer
# while the renderer may itself be running kubectl.
#
# Run it after updating the corpus or kubectl, then review and commit the diff:
#   tests/data/manifest/regenerate-kustomize.sh
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
corpus=${DRIFTDECK_SHARED_DIR:-$root/../shared}/corpus
out=$here/kustomize

[ -d "$corpus" ] || { echo "regenerate-kustomize: no corpus at $corpus" >&2; exit 1; }
command -v kubectl >/dev/null || { echo "regenerate-kustomize: kubectl is not on PATH" >&2; exit 1; }

# golden file name = corpus directory with '/' as '_'
dirs=(
    argocd-example-apps/kustomize-guestbook
    argocd-example-apps/sock-shop
    argocd-example-apps/pre-post-sync
    podinfo/deploy/overlays/dev
    podinfo/deploy/overlays/staging
    podinfo/deploy/overlays/production
    podinfo/kustomize
)

mkdir -p "$out"
version=$(kubectl version --client 2>/dev/null | tr '\n' ' ')
for dir in "${dirs[@]}"; do
    file="$out/${dir//\//_}.yaml"
    {
        echo "# kubectl kustomize $dir ($version); regenerate with tests/data/manifest/regenerate-kustomize.sh"
        kubectl kustomize "$corpus/$dir"
    } > "$file.tmp"
    mv "$file.tmp" "$file"
    echo "regenerate-kustomize: $file"
done
