import Foundation
import Shared

/// A memory-mapped `.safetensors` file: an 8-byte little-endian header length, a JSON header naming every
/// tensor's element type, shape and byte range, then the raw little-endian data.
///
/// Opening validates the whole header (types, shapes, and that the byte ranges tile the data section exactly);
/// reading converts `F32`, `F16` and `BF16` tensors to `Float`. Every error names the file and the tensor.
public final class SafeTensors: Sendable {
    /// A tensor's element type as the header spells it.
    public enum ElementType: String, Sendable, CaseIterable {
        case bool = "BOOL", u8 = "U8", i8 = "I8", f8e5m2 = "F8_E5M2", f8e4m3 = "F8_E4M3"
        case i16 = "I16", u16 = "U16", f16 = "F16", bf16 = "BF16"
        case i32 = "I32", u32 = "U32", f32 = "F32", f64 = "F64", i64 = "I64", u64 = "U64"

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .bool, .u8, .i8, .f8e5m2, .f8e4m3: 1
            case .i16, .u16, .f16, .bf16: 2
            case .i32, .u32, .f32: 4
            case .f64, .i64, .u64: 8
            }
        }
    }

    /// What the header says about one tensor.
    public struct TensorInfo: Sendable, Equatable {
        /// The tensor's name.
        public let name: String
        /// Its element type.
        public let type: ElementType
        /// Its shape; empty for a scalar.
        public let shape: [Int]
        /// Its bytes, relative to the start of the data section.
        public let byteRange: Range<Int>

        /// The number of elements, the product of the shape.
        public var elementCount: Int { shape.reduce(1, *) }
    }

    /// The path the file was opened from.
    public let path: String
    /// The free-form string metadata from the header's `__metadata__` entry.
    public let metadata: [String: String]
    /// Every tensor by name.
    public let tensors: [String: TensorInfo]

    /// The mapped file; tensor bytes start at `dataOffset`.
    public let mapping: MappedFile
    /// Where the tensor data starts in `mapping`; each tensor's `byteRange` is relative to it.
    public let dataOffset: Int

    /// The largest header this reader accepts, as a guard against a corrupt length field.
    public static let maximumHeaderSize = 100 << 20

    /// Maps and validates the file at `path`.
    ///
    /// - Throws: `TensorError` with `.io`, `.malformedHeader` or `.invalidOffsets`.
    public init(path: String) throws {
        self.path = path
        do {
            mapping = try MappedFile(path: path)
        } catch {
            throw TensorError(.io, error.message)
        }
        let bytes = mapping.bytes
        guard bytes.count >= 8 else {
            throw TensorError(.malformedHeader, "\(path): file is \(bytes.count) bytes, too short for a header")
        }
        let headerSize = Int(UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self)))
        guard headerSize <= Self.maximumHeaderSize, headerSize <= bytes.count - 8 else {
            throw TensorError(.malformedHeader, "\(path): header length \(headerSize) exceeds the file")
        }
        dataOffset = 8 + headerSize

        let header = Data(bytes[8..<dataOffset])
        let parsed = try Self.parseHeader(header, path: path)
        metadata = parsed.metadata
        tensors = parsed.tensors
        try Self.validateOffsets(tensors, dataSize: bytes.count - dataOffset, path: path)
    }

    /// The tensor names, sorted.
    public var names: [String] { tensors.keys.sorted() }

    /// The header entry for `name`, or a `.missingTensor` error naming the file.
    public func info(_ name: String) throws -> TensorInfo {
        guard let info = tensors[name] else {
            throw TensorError(.missingTensor, "\(path): no tensor named '\(name)'")
        }
        return info
    }

    /// The tensor's elements as `Float`, flattened row-major; throws unless its type is F32, F16 or BF16, or when
    /// `shape` is given and differs.
    public func floats(_ name: String, shape: [Int]? = nil) throws -> [Float] {
        let info = try info(name)
        if let shape, shape != info.shape {
            throw TensorError(.shapeMismatch, "\(path): tensor '\(name)' has shape \(info.shape), expected \(shape)")
        }
        let raw = UnsafeRawBufferPointer(
            rebasing: mapping.bytes[(dataOffset + info.byteRange.lowerBound)..<(dataOffset + info.byteRange.upperBound)]
        )
        let count = info.elementCount
        switch info.type {
        case .f32:
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                for i in 0..<count {
                    buffer[i] = Float(
                        bitPattern: UInt32(
                            littleEndian: raw.loadUnaligned(
                                fromByteOffset: i * 4,
                                as: UInt32.self)))
                }
                initialized = count
            }
        case .f16:
            return (0..<count).map { i in
                HalfPrecision.float(
                    fromHalf: UInt16(
                        littleEndian: raw.loadUnaligned(
                            fromByteOffset: i * 2,
                            as: UInt16.self)))
            }
        case .bf16:
            return (0..<count).map { i in
                let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))
                return Float(bitPattern: UInt32(bits) << 16)
            }
        default:
            throw TensorError(
                .unsupportedType,
                "\(path): tensor '\(name)' has type \(info.type.rawValue); only F32, F16, BF16 convert")
        }
    }

    /// A tensor as a matrix: a 2-D tensor as it is, a 1-D tensor as one row, and a tensor of higher rank with its
    /// leading dimension as rows and the rest flattened into columns. `shape`, when given, must match exactly.
    public func matrix(_ name: String, shape: [Int]? = nil) throws -> Matrix {
        let info = try info(name)
        let values = try floats(name, shape: shape)
        switch info.shape.count {
        case 0: return Matrix(rows: 1, columns: 1, values: values)
        case 1: return Matrix(rows: 1, columns: info.shape[0], values: values)
        default: return Matrix(rows: info.shape[0], columns: values.count / max(info.shape[0], 1), values: values)
        }
    }
}
