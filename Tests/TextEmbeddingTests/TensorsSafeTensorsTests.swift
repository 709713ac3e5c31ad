import Foundation
import Tensors
import Testing

@Suite struct TensorsSafeTensorsTests {
    let path = Fixtures.url("Tensors", "mixed.safetensors").path

    @Test func readsEveryFloatTypeWrittenBySafetensors() throws {
        let file = try SafeTensors(path: path)
        #expect(file.names == ["bf16", "f16", "f32", "ids"])
        #expect(file.metadata["format"] == "pt")

        let f32 = try file.matrix("f32", shape: [2, 3])
        #expect(f32.rows == 2 && f32.columns == 3)
        #expect(f32.values == [1.5, -2.0, 3.25, 0.0, 1e-3, -7.5])
        let f16 = try file.floats("f16")
        #expect(Array(f16[0..<3]) == [1.0, -0.5, 65504.0])
        #expect(f16[3] == 0x1p-24)  // the smallest subnormal half
        #expect(f16[4] == -3.140625)
        let bf16 = try file.floats("bf16", shape: [2, 2])
        #expect(bf16[0] == 1.0 && bf16[1] == -2.5 && bf16[3] == 0.0078125)
        #expect(abs(bf16[2] - 3.0e10) / 3.0e10 < 0.01)
    }

    @Test func reportsUnsupportedTypesMissingTensorsAndShapesWithFileAndName() throws {
        let file = try SafeTensors(path: path)
        #expect(try file.info("ids").type == .i64)
        #expect(try file.info("ids").shape == [3])
        expectError(.unsupportedType, mentioning: ["ids", "mixed.safetensors"]) { _ = try file.floats("ids") }
        expectError(.missingTensor, mentioning: ["nope", "mixed.safetensors"]) { _ = try file.floats("nope") }
        expectError(.shapeMismatch, mentioning: ["f32", "[3, 2]"]) { _ = try file.floats("f32", shape: [3, 2]) }
    }

    @Test func rejectsOffsetsOutsideTheDataOrOverlapping() throws {
        let overlapping =
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
            + #""b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        let beyond = #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#
        let wrongSize = #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#
        let cases: [(String, Int, TensorError.Code, String)] = [
            (overlapping, 12, .invalidOffsets, "'b'"),
            (beyond, 8, .invalidOffsets, "8"),
            (wrongSize, 8, .invalidOffsets, "'a'"),
            ("[1,2]", 0, .malformedHeader, "not a JSON object"),
            ("{not json", 0, .malformedHeader, "not valid JSON"),
            (#"{"a":{"dtype":"Q7","shape":[1],"data_offsets":[0,1]}}"#, 1, .unsupportedType, "Q7"),
        ]
        for (header, dataSize, code, fragment) in cases {
            let file = try temporaryFile(header: header, dataSize: dataSize)
            defer { try? FileManager.default.removeItem(atPath: file) }
            expectError(code, mentioning: [fragment, file]) { _ = try SafeTensors(path: file) }
        }
    }

    @Test func rejectsATruncatedHeaderAndAMissingFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("short-\(UUID()).safetensors").path
        try Data([200, 0, 0, 0, 0, 0, 0, 0, 123]).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        expectError(.malformedHeader, mentioning: ["exceeds the file"]) { _ = try SafeTensors(path: file) }
        expectError(.io, mentioning: ["/nonexistent/x.safetensors"]) {
            _ = try SafeTensors(path: "/nonexistent/x.safetensors")
        }
    }

    private func temporaryFile(header: String, dataSize: Int) throws -> String {
        var bytes = withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { Array($0) }
        bytes += Array(header.utf8) + [UInt8](repeating: 0, count: dataSize)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("t-\(UUID()).safetensors").path
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    private func expectError(
        _ code: TensorError.Code, mentioning fragments: [String], sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws -> Void
    ) {
        do {
            try body()
            Issue.record("expected \(code) error", sourceLocation: sourceLocation)
        } catch let error as TensorError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            for fragment in fragments {
                #expect(error.message.contains(fragment), "\(error) lacks \(fragment)", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }
}
