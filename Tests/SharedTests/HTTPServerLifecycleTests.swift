import Foundation
import Testing

@testable import Shared

/// Sends `request` over a fresh TCP connection to 127.0.0.1:`port` and returns what comes back until the
/// server closes the connection or stops sending.
private func rawExchange(port: Int, _ request: String) throws -> String {
    let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    try #require(socket >= 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    try #require(connected == 0)
    var timeout = timeval(tv_sec: 5, tv_usec: 0)
    setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    _ = Array(request.utf8).withUnsafeBytes { send(socket, $0.baseAddress, $0.count, 0) }
    var received = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        if count <= 0 {
            break
        }
        received.append(contentsOf: buffer[0..<count])
    }
    return String(decoding: received, as: UTF8.self)
}

@Suite struct HTTPServerLifecycleTests {
    @Test func refusesAnAnnouncedOversizedBodyBeforeItIsSent() throws {
        let test = try TestServer(maxBodyBytes: 1024) { router in
            router.post("/upload") { .json(["bytes": $0.body.count]) }
        }
        defer { test.server.stop() }

        let answer = try rawExchange(
            port: test.server.port,
            "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\nExpect: 100-continue\r\n\r\n")
        #expect(answer.hasPrefix("HTTP/1.1 413"))
        #expect(answer.contains("payload_too_large"))
        #expect(!answer.contains("100 Continue"))
    }

    @Test func answersHeadLikeGetWithoutABody() throws {
        let test = try TestServer { router in
            router.get("/page") { _ in .html("<p>hello</p>") }
        }
        defer { test.server.stop() }

        let answer = try rawExchange(
            port: test.server.port, "HEAD /page HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(answer.hasPrefix("HTTP/1.1 200"))
        #expect(!answer.contains("hello"))
    }

    @Test func runUntilSignalledReturnsOnSIGTERM() throws {
        let test = try TestServer { router in
            router.get("/ping") { _ in .text("pong") }
        }
        #expect(try test.client.getBytes("/ping").status == 200)

        Thread.detachNewThread {
            // runUntilSignalled installs its handlers at once; a generous pause keeps the default action
            // (terminating the test process) out of the way.
            usleep(500_000)
            kill(getpid(), SIGTERM)
        }
        test.server.runUntilSignalled()

        #expect(test.lines.all.contains { $0.contains("SIGTERM") })
        #expect(serviceError { _ = try test.client.getBytes("/ping") }?.code == "upstream_unreachable")
    }
}
