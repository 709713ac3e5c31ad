import Foundation
import Shared
import Testing

@testable import RecommenderService

/// What `POST /v1/models` refuses before it calls anything: URLs that are not http(s), methods this replica
/// cannot build, names that are no method.
struct BuildRequestTests {
    @Test(arguments: [
        "file:///etc/passwd", "gopher://127.0.0.1:6379/_INFO", "ftp://127.0.0.1/x", "dict://127.0.0.1:11211/stat",
        "http://", "http://:8082", "http:///etc/passwd", "/v1/jobs", "127.0.0.1:8082", "",
    ])
    func captionerAndSamplerMustBeHTTPURLsWithAHost(url: String) throws {
        let captioner = try stubCaptioner(TfidfReference.shared.images)
        defer { captioner.stop() }
        let recommender = try RunningRecommender()
        let good = "http://127.0.0.1:\(captioner.port)"

        for (body, field) in [
            (["captioner": url, "job_id": "7"], "captioner"),
            (["captioner": good, "job_id": "7", "sampler": url], "sampler"),
        ] {
            let error = recommender.failure {
                _ = try recommender.client.postJSON("/v1/models", body: body, as: ModelAnswer.self)
            }
            #expect(error?.status == 400 && error?.code == "invalid_parameter", "\(field) \(url)")
            #expect(error?.message.hasPrefix("\"\(field)\" must be an absolute http(s) URL") == true)
        }
        #expect(!FileManager.default.fileExists(atPath: recommender.modelPath))
    }

    @Test func httpsAndUppercaseSchemesAreAccepted() throws {
        #expect(throws: Never.self) { try RecommenderService.requireHTTPURL("HTTPS://Sampler.example", field: "s") }
        #expect(throws: Never.self) { try RecommenderService.requireHTTPURL("http://[::1]:8081/base", field: "s") }
    }

    @Test func methodsThisReplicaCannotBuildAreUnavailableNotUnknown() throws {
        let captioner = try stubCaptioner(TfidfReference.shared.images)
        defer { captioner.stop() }
        let recommender = try RunningRecommender()
        let url = "http://127.0.0.1:\(captioner.port)"

        for (methods, status, code, detail) in [
            (["minilm"], 503, "method_unavailable", "cannot build minilm on this replica: no minilm encoder"),
            (["tfidf", "hybrid"], 503, "method_unavailable", "cannot build hybrid on this replica: it needs"),
            (["bm25_glove"], 503, "method_unavailable", "it needs the glove word vectors"),
            (["word2vec"], 400, "unknown_method", "cannot build word2vec; available: tfidf, bm25"),
        ] {
            struct Body: Encodable {
                var captioner: String
                var job_id = "7"
                var methods: [String]
            }
            let error = recommender.failure {
                _ = try recommender.client.postJSON(
                    "/v1/models", body: Body(captioner: url, methods: methods), as: ModelAnswer.self)
            }
            #expect(error?.status == status && error?.code == code, "\(methods)")
            #expect(error?.message.contains(detail) == true, "\(error?.message ?? "")")
        }
        #expect(!FileManager.default.fileExists(atPath: recommender.modelPath))
    }
}
