import Testing

@testable import Imaging

/// The stream parser on planes built in memory: bit order, the length checks and the text check.
@Suite("Stealth stream")
struct StealthStreamTests {
    typealias Support = StealthTestSupport

    let text = "a cat\nNegative prompt: dog\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1"

    @Test(arguments: StealthParameters.Channel.allCases)
    func readsColumnByColumnInEitherChannel(channel: StealthParameters.Channel) throws {
        let signature = channel == .alpha ? "stealth_pnginfo" : "stealth_rgbinfo"
        let bits = Support.stream(signature, payload: Array(text.utf8))
        // Not square, so a row-major reading would fail.
        let plane = Support.plane(width: 41, height: 23, channel: channel, bits: bits)

        let kind = try #require(StealthStream.kind(in: plane))
        #expect(kind.signature == signature)
        let parameters = try StealthStream.parameters(kind, in: plane)
        #expect(parameters.text == text)
        #expect(parameters.source == "stealth_pnginfo:\(channel.rawValue)")
    }

    @Test func theSignatureIsFoundInTheTopRowsAlone() throws {
        let bits = Support.stream("stealth_pnginfo", payload: Array(text.utf8))
        let top = Support.plane(width: 9, height: 300, channel: .alpha, bits: bits, rows: 120)
        #expect(!top.isComplete)
        #expect(StealthBits(plane: top, channel: .alpha).count == 120)
        #expect(StealthStream.kind(in: top)?.signature == "stealth_pnginfo")

        let shorter = Support.plane(width: 9, height: 300, channel: .alpha, bits: bits, rows: 119)
        #expect(StealthStream.kind(in: shorter) == nil)
    }

    @Test func alphaBitsCountOnlyWhenTheImageHasAlpha() {
        let bits = Support.stream("stealth_pnginfo", payload: Array(text.utf8))
        let opaque = Support.plane(width: 30, height: 30, channel: .alpha, bits: bits, hasAlpha: false)
        #expect(StealthStream.kind(in: opaque) == nil)
    }

    @Test func signatureMustBeInItsOwnChannel() {
        let bits = Support.stream("stealth_rgbinfo", payload: Array(text.utf8))
        #expect(StealthStream.kind(in: Support.plane(width: 30, height: 30, channel: .alpha, bits: bits)) == nil)
    }

    @Test func anImageSmallerThanASignatureHoldsNone() {
        let bits = Support.stream("stealth_pnginfo", payload: [])
        #expect(StealthStream.kind(in: Support.plane(width: 7, height: 17, channel: .alpha, bits: bits)) == nil)
        #expect(StealthStream.kind(in: Support.plane(width: 8, height: 15, channel: .alpha, bits: bits)) != nil)
    }

    /// Lengths declared in a 32x32 alpha stream, and why each is refused.
    static let badLengths: [(UInt32, StealthStream.Failure)] = [
        (0, .malformedLength(0)),
        (12, .malformedLength(12)),
        (8_388_616, .lengthOverLimit(8_388_616)),
        (UInt32.max, .lengthOverLimit(UInt32.max)),
        (880, .lengthPastEnd(880, available: 872)),
    ]

    @Test(arguments: badLengths)
    func badLengthsAreRejected(length: UInt32, failure: StealthStream.Failure) throws {
        let bits = Support.stream("stealth_pnginfo", payload: Array(text.utf8), length: length)
        let plane = Support.plane(width: 32, height: 32, channel: .alpha, bits: bits)
        let kind = try #require(StealthStream.kind(in: plane))
        #expect(throws: failure) { try StealthStream.parameters(kind, in: plane) }
    }

    @Test func aLengthFillingTheImageExactlyIsRead() throws {
        let payload = [UInt8](repeating: UInt8(ascii: "x"), count: (32 * 32 - 152) / 8)
        let plane = Support.plane(
            width: 32, height: 32, channel: .alpha, bits: Support.stream("stealth_pnginfo", payload: payload))
        let kind = try #require(StealthStream.kind(in: plane))
        #expect(try StealthStream.parameters(kind, in: plane).text.count == payload.count)
    }

    @Test func theImageEndingInsideTheLengthIsRejected() throws {
        let bits = Support.stream("stealth_pnginfo", payload: Array(text.utf8))
        let plane = Support.plane(width: 10, height: 13, channel: .alpha, bits: bits)
        let kind = try #require(StealthStream.kind(in: plane))
        #expect(throws: StealthStream.Failure.endsInLength) { try StealthStream.parameters(kind, in: plane) }
    }

    @Test func payloadsThatAreNotUTF8OrNotGzipAreRejected() throws {
        let latin1 = Support.plane(
            width: 30, height: 30, channel: .alpha,
            bits: Support.stream("stealth_pnginfo", payload: [0x63, 0x61, 0x66, 0xE9]))
        #expect(throws: StealthStream.Failure.notUTF8) {
            try StealthStream.parameters(try #require(StealthStream.kind(in: latin1)), in: latin1)
        }

        let plain = Support.plane(
            width: 30, height: 30, channel: .rgb, bits: Support.stream("stealth_rgbcomp", payload: Array(text.utf8)))
        #expect(throws: StealthStream.Failure.corruptGzip) {
            try StealthStream.parameters(try #require(StealthStream.kind(in: plain)), in: plain)
        }
    }

    @Test func gzipWrapperIsInflatedAndZlibIsNot() throws {
        // "hello" gzip-compressed by Python (mtime 0).
        let gzip: [UInt8] = [
            0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xFF, 0xCB, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00,
            0x86, 0xA6, 0x10, 0x36, 0x05, 0x00, 0x00, 0x00,
        ]
        #expect(try MetadataInflater.inflate(gzip, wrapper: .gzip) == Array("hello".utf8))
        #expect(throws: MetadataInflater.Failure.corrupt) { try MetadataInflater.inflate(gzip) }
        #expect(throws: MetadataInflater.Failure.tooLarge) {
            try MetadataInflater.inflate(gzip, wrapper: .gzip, limit: 4)
        }
    }
}
