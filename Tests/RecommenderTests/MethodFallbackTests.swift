import Foundation
import Shared
import Testing

@testable import RecommenderService

/// A model whose default method (`hybrid` over `bm25` and the concept encoder) this replica cannot serve.
private func replicaWithoutEncoders() throws -> RunningRecommender {
    let builder = ModelBuilder(
        catalog: SearchMethodCatalog(encoders: ["minilm": ConceptEncoder()], hybrid: bm25Hybrid))
    return try RunningRecommender(
        model: TfidfReference.shared.images, methods: ["hybrid", "tfidf"], builder: builder,
        catalog: SearchMethodCatalog())
}

@Test func searchesWithoutAMethodFallBackToTheBestServableOne() throws {
    let recommender = try replicaWithoutEncoders()
    let client = recommender.client

    let answer = try client.getJSON("/v1/search", query: ["q": "dog on the beach"], as: SearchResponse.self)
    let explicit = try client.getJSON(
        "/v1/search", query: ["q": "dog on the beach", "method": "bm25"], as: SearchResponse.self)
    #expect(answer.method == "bm25")
    #expect(answer.results == explicit.results && !answer.results.isEmpty)
    let note = try #require(answer.diagnostics["fallback"])
    #expect(note.hasPrefix("hybrid unavailable: ") && note.hasSuffix("; ranked by bm25"))
    #expect(explicit.diagnostics["fallback"] == nil)

    struct Body: Encodable { var q: String }
    let posted = try client.postJSON("/v1/search", body: Body(q: "dog on the beach"), as: SearchResponse.self)
    #expect(posted.method == "bm25" && posted.diagnostics["fallback"] == note)

    let legacy = try client.getJSON("/api/mmsys/query", query: ["desc": "dog on the beach"], as: [LegacyAnswer].self)
    #expect(legacy.map(\.score) == Array(answer.results.prefix(5).map(\.score)))
}

@Test func namingAnUnavailableMethodStaysUnavailable() throws {
    let recommender = try replicaWithoutEncoders()
    for (method, status, code) in [
        ("hybrid", 503, "method_unavailable"), ("minilm", 503, "method_unavailable"), ("nope", 400, "unknown_method"),
    ] {
        let error = recommender.failure {
            _ = try recommender.client.getJSON(
                "/v1/search", query: ["q": "dog", "method": method], as: SearchResponse.self)
        }
        #expect(error?.status == status && error?.code == code, "\(method)")
    }

    let health = try JSONDecoder().decode(
        [String: String].self, from: Data(try recommender.client.getBytes("/healthz").body))
    #expect(health["default_method"] == "hybrid")
    let unavailable = try #require(health["unavailable_methods"])
    #expect(unavailable.hasPrefix("hybrid: hybrid needs bm25 and minilm loaded; minilm: no minilm encoder"))

    let served = try RunningRecommender(model: TfidfReference.shared.images)
    let full = try JSONDecoder().decode([String: String].self, from: Data(try served.client.getBytes("/healthz").body))
    #expect(full["unavailable_methods"] == "")
}

@Test func aModelWithNothingServableStillAnswers503() throws {
    let builder = ModelBuilder(catalog: SearchMethodCatalog(encoders: ["minilm": ConceptEncoder()]))
    let recommender = try RunningRecommender(
        model: TfidfReference.shared.images, methods: ["minilm"], builder: builder)
    let error = recommender.failure {
        _ = try recommender.client.getJSON("/v1/search", query: ["q": "dog"], as: SearchResponse.self)
    }
    #expect(error?.status == 503 && error?.code == "method_unavailable")
}

@Test func hybridLabelsItsLexicalDiagnostics() throws {
    let catalog = SearchMethodCatalog(encoders: ["minilm": ConceptEncoder()], hybrid: bm25Hybrid)
    let recommender = try RunningRecommender(
        model: TfidfReference.shared.images, methods: ["hybrid"], builder: ModelBuilder(catalog: catalog),
        catalog: catalog)

    let hybrid = try recommender.client.getJSON(
        "/v1/search", query: ["q": "puppy zzqx", "method": "hybrid"], as: SearchResponse.self)
    #expect(hybrid.diagnostics["unknown_terms"] == nil)
    #expect(hybrid.diagnostics["lexical_unknown_terms"] == "puppy zzqx")
    #expect(hybrid.diagnostics["encoder"] == "concepts-v1")
    let lexical = try recommender.client.getJSON(
        "/v1/search", query: ["q": "puppy zzqx", "method": "bm25"], as: SearchResponse.self)
    #expect(lexical.diagnostics["unknown_terms"] == "puppy zzqx")
}
