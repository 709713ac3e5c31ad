import Testing
import TextEmbedding

@testable import RecommenderService

/// The MiniLM and GloVe encoders from the model cache. Fails the calling test, naming the set-up script, when
/// the cache has not been filled: these tests must run wherever the suite runs (CI runs the script first).
func realCatalog() throws -> SearchMethodCatalog {
    let (catalog, missing) = SearchMethodCatalog.loading(cache: ModelCache())
    guard missing.isEmpty else {
        let reasons = missing.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
        Issue.record("the text-embedding model cache is missing; run scripts/setup_models.sh first (\(reasons))")
        throw RecommenderError(.unavailable, "model_cache_missing", reasons)
    }
    return catalog
}
