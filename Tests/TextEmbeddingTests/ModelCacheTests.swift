import Foundation
import Testing
import TextEmbedding

@Suite struct ModelCacheTests {
    @Test func environmentOverridesTheDefaultFolder() {
        let base = URL(fileURLWithPath: "/srv/imgrec")
        #expect(ModelCache(environment: [:], base: base).directory.path == "/srv/imgrec/models")
        #expect(ModelCache(environment: ["IMGREC_MODEL_DIR": ""], base: base).directory.path == "/srv/imgrec/models")
        let configured = ModelCache(environment: ["IMGREC_MODEL_DIR": "/cache/m"], base: base)
        #expect(configured.miniLMDirectory.path == "/cache/m/all-MiniLM-L6-v2")
        #expect(configured.gloveURL.path == "/cache/m/glove-6b-50d.wordvec")
        #expect(ModelCache(environment: ["IMGREC_MODEL_DIR": "rel"], base: base).directory.path == "/srv/imgrec/rel")
    }

    @Test func anEmptyCacheFailsWithTheSetUpCommand() {
        let cache = ModelCache(directory: URL(fileURLWithPath: "/nonexistent/cache"))
        for attempt in [{ _ = try cache.requireMiniLM() }, { _ = try cache.requireGloVe() }] {
            #expect {
                try attempt()
            } throws: { error in
                let failure = error as? TextEmbeddingError
                return failure?.code == .modelMissing && failure?.message.contains("scripts/setup_models.sh") == true
            }
        }
    }
}
