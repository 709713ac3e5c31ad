import Foundation
import Testing
import TextEmbedding

/// The model cache the tests use: `IMGREC_MODEL_DIR` when set, else `models/` at the package root. A missing
/// cache fails the test that needs it, with the command that creates it.
enum TestModels {
    static let cache = ModelCache(base: Fixtures.packageRoot)

    /// One encoder shared by every test (loading takes a moment).
    static let encoder: Result<MiniLMEncoder, any Error> = Result {
        try MiniLMEncoder(directory: try cache.requireMiniLM())
    }

    /// One GloVe table shared by every test.
    static let glove: Result<WordVectors, any Error> = Result {
        try WordVectors(url: try cache.requireGloVe())
    }

    static func requireEncoder(sourceLocation: SourceLocation = #_sourceLocation) throws -> MiniLMEncoder {
        try require(encoder, sourceLocation: sourceLocation)
    }

    static func requireGloVe(sourceLocation: SourceLocation = #_sourceLocation) throws -> WordVectors {
        try require(glove, sourceLocation: sourceLocation)
    }

    private static func require<T>(_ result: Result<T, any Error>, sourceLocation: SourceLocation) throws -> T {
        switch result {
        case .success(let value):
            return value
        case .failure(let error):
            Issue.record(
                "model cache unavailable (\(error)); run scripts/setup_models.sh first",
                sourceLocation: sourceLocation)
            throw error
        }
    }
}
