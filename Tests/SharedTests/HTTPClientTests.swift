import Foundation
import Testing

@testable import Shared

@Suite struct HTTPClientTests {
    @Test func retriesIdempotentCallsOnUnavailable() throws {
        let calls = Counter()
        let test = try TestServer(retries: 2) { router in
            router.get("/flaky") { _ in
                calls.next() == 1 ? .error(.unavailable("warming_up", "not ready")) : .json(["ok": true])
            }
            router.post("/flaky-post") { _ in
                _ = calls.next()
                return .error(.unavailable("warming_up", "not ready"))
            }
        }
        defer { test.server.stop() }

        #expect(try test.client.getJSON("/flaky", as: [String: Bool].self) == ["ok": true])
        #expect(calls.current == 2)
        let error = serviceError { _ = try test.client.post("/flaky-post", body: [], contentType: "text/plain") }
        #expect(error == .unavailable("warming_up", "not ready"))
        #expect(calls.current == 3)
    }

    @Test func givesUpAfterTheRetriesWithTheRemoteError() throws {
        let calls = Counter()
        let test = try TestServer(retries: 2) { router in
            router.get("/down") { _ in
                _ = calls.next()
                return .error(.unavailable("overloaded", "try later"))
            }
            router.get("/plain") { _ in .text("teapot", status: 418) }
        }
        defer { test.server.stop() }

        #expect(serviceError { _ = try test.client.getBytes("/down") } == .unavailable("overloaded", "try later"))
        #expect(calls.current == 3)
        let plain = serviceError { _ = try test.client.getBytes("/plain") }
        #expect(plain?.status == 502)
        #expect(plain?.code == "upstream_error")
    }

    @Test func retriesUntilAServiceComesUp() throws {
        let port = try freePort()
        let client = HTTPClient(
            baseURL: "http://127.0.0.1:\(port)", service: "late", retries: 8, retryDelaySeconds: 0.05)
        let router = Router()
        router.get("/hello") { _ in .json(["hello": "world"]) }
        let server = HTTPServer(
            configuration: .init(service: "late", port: port), router: router,
            logger: Logger(label: "test", sink: { _ in }))
        let result = ResultsBox(count: 1)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let answer = try? client.getJSON("/hello", as: [String: String].self)
            result.set(0, answer == ["hello": "world"] ? 1 : 0)
            done.signal()
        }
        // The client's attempts span about 12 seconds (0.05 s doubling eight times); start well inside it.
        usleep(200_000)
        try server.start()
        defer { server.stop() }
        done.wait()

        #expect(result.values == [1])
    }

    @Test func namesTheServiceWhenUnreachable() throws {
        let port = try freePort()
        let client = HTTPClient(baseURL: "http://127.0.0.1:\(port)/", service: "sampler", retries: 1)

        let error = serviceError { _ = try client.getJSON("/v1/samples/1", as: [String: String].self) }
        #expect(error?.status == 502)
        #expect(error?.code == "upstream_unreachable")
        let prefix = "service sampler unreachable at http://127.0.0.1:\(port)/v1/samples/1: "
        #expect(error?.message.hasPrefix(prefix) == true)
    }

    @Test func refusesEveryProtocolButHTTP() throws {
        let directory = NSTemporaryDirectory() + "imgrec-client-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/v1", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(#"{"secret":"yes"}"#.utf8).write(to: URL(fileURLWithPath: directory + "/v1/file"))

        for base in ["file://" + directory, "gopher://127.0.0.1:1", "ftp://127.0.0.1:1"] {
            let client = HTTPClient(baseURL: base, service: "captioner", retries: 0)
            let error = serviceError { _ = try client.getJSON("/v1/file", as: [String: String].self) }
            #expect(error?.status == 502, "\(base)")
            #expect(error?.code == "upstream_unreachable", "\(error?.message ?? "")")
            #expect(error?.message.contains("secret") == false)
        }
    }

    @Test func timesOutSlowServices() throws {
        let release = DispatchSemaphore(value: 0)
        let test = try TestServer { router in
            router.get("/slow") { _ in
                _ = release.wait(timeout: .now() + 5)
                return .text("late")
            }
        }
        defer {
            release.signal()
            test.server.stop()
        }
        let client = HTTPClient(
            baseURL: "http://127.0.0.1:\(test.server.port)", service: "slowpoke", timeoutSeconds: 0.3, retries: 0)

        let error = serviceError { _ = try client.getBytes("/slow") }
        #expect(error?.status == 504)
        #expect(error?.code == "upstream_timeout")
    }

    @Test func reportsUndecodableAnswers() throws {
        let test = try TestServer { router in
            router.get("/list") { _ in .json([1, 2, 3]) }
        }
        defer { test.server.stop() }

        let error = serviceError { _ = try test.client.getJSON("/list", as: [String: String].self) }
        #expect(error?.code == "upstream_malformed")
        #expect(try test.client.getBytes("/list").headers["content-type"] == "application/json")
    }

    @Test func buildsURLs() {
        let client = HTTPClient(baseURL: "http://h:1/", service: "x")
        #expect(client.url("/a") == "http://h:1/a")
        #expect(client.url("a", query: ["q": "two dogs", "k": "5"]) == "http://h:1/a?k=5&q=two%20dogs")
    }
}
