import Foundation
import Testing

@testable import Shared

private struct Item: Codable, Equatable {
    var name: String
    var count: Int
}

private struct Secret: Error {
    let detail = "password=hunter2 at /var/lib/secret.db"
}

@Suite struct HTTPServerTests {
    @Test func routesWithPathParametersAndPrefersLiterals() throws {
        let test = try TestServer { router in
            router.get("/v1/images/{id}") { .json(["route": "image", "id": $0.pathParameters["id"] ?? ""]) }
            router.get("/v1/images/{id}/sidecar") { .json(["route": "sidecar", "id": $0.pathParameters["id"] ?? ""]) }
            router.get("/v1/images/special") { _ in .json(["route": "special"]) }
        }
        defer { test.server.stop() }

        #expect(
            try test.client.getJSON("/v1/images/abc", as: [String: String].self) == ["route": "image", "id": "abc"])
        #expect(
            try test.client.getJSON("/v1/images/a1/sidecar", as: [String: String].self)
                == ["route": "sidecar", "id": "a1"])
        #expect(try test.client.getJSON("/v1/images/special", as: [String: String].self) == ["route": "special"])
    }

    @Test func decodesQueryParameters() throws {
        let test = try TestServer { router in
            router.get("/echo") { .json($0.query) }
        }
        defer { test.server.stop() }

        let raw = try test.client.getJSON("/echo?q=two+dogs&e=%C3%A9t%C3%A9&amp=a%26b", as: [String: String].self)
        #expect(raw == ["q": "two dogs", "e": "été", "amp": "a&b"])
        let encoded = try test.client.getJSON("/echo", query: ["q": "a+b c/d?"], as: [String: String].self)
        #expect(encoded == ["q": "a+b c/d?"])
    }

    @Test func queryIntValidatesRange() throws {
        let test = try TestServer { router in
            router.get("/k") { .json(["k": try $0.queryInt("k", default: 10, range: 1...100)]) }
        }
        defer { test.server.stop() }

        #expect(try test.client.getJSON("/k", as: [String: Int].self) == ["k": 10])
        #expect(try test.client.getJSON("/k", query: ["k": "7"], as: [String: Int].self) == ["k": 7])
        let error = serviceError { _ = try test.client.getJSON("/k", query: ["k": "500"], as: [String: Int].self) }
        #expect(error?.status == 400)
        #expect(error?.code == "invalid_parameter")
        #expect(serviceError { _ = try test.client.getBytes("/k", query: ["k": "x"]) }?.code == "invalid_parameter")
    }

    @Test func decodesJSONBodiesAndRejectsMalformedOnes() throws {
        let test = try TestServer { router in
            router.post("/items") { request in
                var item = try request.decodeJSON(Item.self)
                item.count += 1
                return .json(item, status: 201)
            }
        }
        defer { test.server.stop() }

        let item = try test.client.postJSON("/items", body: Item(name: "a", count: 1), as: Item.self)
        #expect(item == Item(name: "a", count: 2))
        let json = "application/json"
        let broken = serviceError { _ = try test.client.post("/items", body: Array("{nope".utf8), contentType: json) }
        #expect(broken?.status == 400)
        #expect(broken?.code == "malformed_json")
        let missing = serviceError {
            _ = try test.client.post("/items", body: Array(#"{"name":"a"}"#.utf8), contentType: json)
        }
        #expect(missing?.code == "malformed_json")
        #expect(missing?.message.contains("count") == true)
        #expect(broken?.message.contains("not valid") == true)
        let fractional = serviceError {
            _ = try test.client.post("/items", body: Array(#"{"name":"a","count":1.5}"#.utf8), contentType: json)
        }
        #expect(fractional?.code == "malformed_json")
        #expect(fractional?.message.contains("a number does not fit its field") == true)
    }

    @Test func longURLsReachTheHandler() throws {
        let test = try TestServer { router in
            router.get("/length") { request in .text(String(request.query["q"]?.count ?? 0)) }
        }
        defer { test.server.stop() }
        let query = String(repeating: "word ", count: 12_000)
        let answer = try test.client.getBytes("/length", query: ["q": query])
        #expect(String(decoding: answer.body, as: UTF8.self) == String(query.count))
    }

    @Test func answersUnknownRoutesAndWrongMethodsWithJSONErrors() throws {
        let test = try TestServer { router in
            router.post("/only-post") { _ in .text("ok") }
        }
        defer { test.server.stop() }

        let notFound = serviceError { _ = try test.client.getBytes("/nowhere") }
        #expect(notFound?.status == 404)
        #expect(notFound?.code == "not_found")
        let wrongMethod = serviceError { _ = try test.client.getBytes("/only-post") }
        #expect(wrongMethod?.status == 405)
        #expect(wrongMethod?.code == "method_not_allowed")
    }

    @Test func refusesBodiesOverTheLimit() throws {
        let test = try TestServer(maxBodyBytes: 1024) { router in
            router.post("/upload") { .json(["bytes": $0.body.count]) }
        }
        defer { test.server.stop() }

        let fits = try test.client.post("/upload", body: Array(repeating: 7, count: 1024), contentType: "image/png")
        #expect(fits.status == 200)
        let error = serviceError {
            _ = try test.client.post("/upload", body: Array(repeating: 7, count: 200_000), contentType: "image/png")
        }
        #expect(error?.status == 413)
        #expect(error?.code == "payload_too_large")
        // Counted under the route it was for, with its method.
        let refused = ["route": "/upload", "method": "POST", "status": "413"]
        #expect(test.server.metrics.value("imgrec_http_requests_total", labels: refused) == 1)
        // The connection stays usable after the refused body was drained.
        #expect(try test.client.post("/upload", body: [1, 2, 3], contentType: "image/png").status == 200)
    }

    @Test func hidesTheDetailsOfUnexpectedErrors() throws {
        let test = try TestServer { router in
            router.get("/boom") { _ in throw Secret() }
            router.get("/gone") { _ in throw ServiceError.notFound("image_not_found", "no image 42") }
        }
        defer { test.server.stop() }

        let error = serviceError { _ = try test.client.getBytes("/boom") }
        #expect(error?.status == 500)
        #expect(error?.code == "internal")
        #expect(error?.message.contains("hunter2") == false)
        #expect(test.lines.all.contains { $0.contains("hunter2") && $0.contains("\"level\":\"error\"") })
        #expect(test.lines.all.filter { $0.contains("/boom") }.count == 1)
        #expect(test.lines.all.contains { $0.contains("request_id") && $0.contains("\"status\":\"500\"") })
        #expect(serviceError { _ = try test.client.getBytes("/gone") } == .notFound("image_not_found", "no image 42"))
    }

    @Test func returnsARequestID() throws {
        let test = try TestServer { router in
            router.get("/id") { .text($0.requestID) }
        }
        defer { test.server.stop() }

        let response = try test.client.getBytes("/id")
        let id = try #require(response.headers["x-request-id"])
        #expect(!id.isEmpty)
        #expect(String(decoding: response.body, as: UTF8.self) == id)
        #expect(HTTPServer.requestID(from: "abc-123") == "abc-123")
        #expect(HTTPServer.requestID(from: "bad id\n") != "bad id\n")
        #expect(HTTPServer.requestID(from: String(repeating: "a", count: 500)).count == 16)
    }

    @Test func keepsConnectionsAlive() throws {
        let test = try TestServer { router in
            router.get("/ping") { _ in .text("pong") }
        }
        defer { test.server.stop() }

        for _ in 0..<5 {
            #expect(try test.client.getBytes("/ping").body == Array("pong".utf8))
        }
        #expect(test.client.connectionsOpened == 1)
        #expect(test.server.connectionCount == 1)
    }

    @Test func servesConcurrentRequests() throws {
        let test = try TestServer(threads: 8) { router in
            router.get("/square/{n}") { request in
                let n = Int(request.pathParameters["n"] ?? "") ?? 0
                usleep(2_000)
                return .json(["square": n * n])
            }
        }
        defer { test.server.stop() }

        let results = ResultsBox(count: 50)
        DispatchQueue.concurrentPerform(iterations: 50) { index in
            let value = try? test.client.getJSON("/square/\(index)", as: [String: Int].self)["square"]
            results.set(index, value)
        }
        #expect(results.values == (0..<50).map { $0 * $0 })
    }

    @Test func reportsHealthAndMetrics() throws {
        let test = try TestServer(health: { ["model": "v3"] }) { router in
            router.get("/v1/items/{id}") { _ in .text("item") }
        }
        defer { test.server.stop() }

        let health = try test.client.getJSON("/healthz", as: [String: String].self)
        #expect(health == ["status": "ok", "service": "test", "model": "v3"])
        _ = try test.client.getBytes("/v1/items/1")
        _ = try test.client.getBytes("/v1/items/2")
        _ = serviceError { _ = try test.client.getBytes("/missing") }
        test.server.metrics.increment("imgrec_test_things_total", help: "Things.", labels: ["kind": "a"])

        let text = String(decoding: try test.client.getBytes("/metrics").body, as: UTF8.self)
        #expect(text.contains(#"imgrec_http_requests_total{method="GET",route="/v1/items/{id}",status="200"} 2"#))
        #expect(text.contains(#"imgrec_http_requests_total{method="GET",route="unmatched",status="404"} 1"#))
        #expect(text.contains(#"imgrec_http_request_duration_seconds_count{route="/v1/items/{id}"} 2"#))
        #expect(text.contains(#"imgrec_http_request_duration_seconds_bucket{route="/v1/items/{id}",le="+Inf"} 2"#))
        #expect(text.contains("# TYPE imgrec_http_requests_total counter"))
        #expect(text.contains(#"imgrec_test_things_total{kind="a"} 1"#))
        #expect(!text.contains("/v1/items/1"))
    }

    @Test func stopsGracefullyWhileARequestIsInFlight() throws {
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let test = try TestServer { router in
            router.get("/slow") { _ in
                started.signal()
                release.wait()
                return .text("finished")
            }
        }
        let port = test.server.port

        let response = ResultsBox(count: 1)
        let requestDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let body = try? test.client.getBytes("/slow").body
            response.set(0, body.map { String(decoding: $0, as: UTF8.self) == "finished" ? 1 : 0 })
            requestDone.signal()
        }
        started.wait()
        let stopDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            test.server.stop()
            stopDone.signal()
        }
        // stop() must wait for the handler; it cannot finish while the handler is blocked.
        #expect(stopDone.wait(timeout: .now() + 0.3) == .timedOut)
        release.signal()
        requestDone.wait()
        stopDone.wait()

        #expect(response.values == [1])
        let late = HTTPClient(baseURL: "http://127.0.0.1:\(port)", service: "test", retries: 0)
        #expect(serviceError { _ = try late.getBytes("/slow") }?.code == "upstream_unreachable")
    }

    @Test func reportsTheRealPortAndRefusesATakenOne() throws {
        let first = try TestServer { _ in }
        defer { first.server.stop() }
        #expect(first.server.port > 0)

        let second = HTTPServer(
            configuration: .init(service: "second", port: first.server.port), router: Router(),
            logger: Logger(label: "test", sink: { _ in }))
        #expect(throws: ServiceError.self) { try second.start() }
    }
}

/// Results written by concurrent workers.
final class ResultsBox: @unchecked Sendable {
    // @unchecked Sendable: `storage` is only touched while `lock` is held.
    private let lock = NSLock()
    private var storage: [Int?]

    init(count: Int) {
        storage = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ value: Int?) {
        lock.withLock { storage[index] = value }
    }

    var values: [Int?] {
        lock.withLock { storage }
    }
}
