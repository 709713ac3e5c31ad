import Shared
import Tensors

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a model's tensors from its safetensors file, checking every shape against the configuration and turning
/// the reader's errors into `VitGPT2Error`s that name the file and the tensor.
///
/// Large F32 tensors are used where they lie in the memory-mapped file, so loading copies nothing and the weights
/// are paged in from the page cache. Tensors that must change form (F16/BF16, transposed layouts) are converted
/// once, and the mapped pages they came from are released right away, so peak memory stays at about one copy of
/// the weights.
struct WeightReader {
    /// The parsed and validated header.
    let file: SafeTensors
    private var mapping: MappedFile { file.mapping }
    private var dataOffset: Int { file.dataOffset }

    /// Opens the safetensors file at `path`.
    init(path: String) throws {
        do {
            file = try SafeTensors(path: path)
        } catch let error as TensorError {
            throw Self.converted(error)
        }
    }

    /// A tensor that must have exactly `shape`, viewed as `rows x columns` (its first dimension by the rest unless
    /// given).
    func tensor(_ name: String, _ shape: [Int], rows: Int? = nil) throws -> WeightTensor {
        let info = try checkedInfo(name, shape)
        let count = info.elementCount
        let rows = rows ?? (shape.first ?? 1)
        let columns = rows == 0 ? 0 : count / rows
        let start = mapping.bytes.baseAddress! + dataOffset + info.byteRange.lowerBound
        if info.type == .f32, Int(bitPattern: start) % MemoryLayout<Float>.alignment == 0 {
            return WeightTensor(
                base: start.assumingMemoryBound(to: Float.self), rows: rows, columns: columns,
                owner: mapping)
        }
        return WeightTensor(rows: rows, columns: columns) { output in
            convert(info, into: output)
        }
    }

    /// A GPT-2 `Conv1D` weight, stored `[in, out]`, transposed once to `[out, in]` (the layout the products use).
    func conv1D(_ name: String, inputs: Int, outputs: Int) throws -> WeightTensor {
        let info = try checkedInfo(name, [inputs, outputs])
        let stored = try tensor(name, [inputs, outputs])
        let transposed = WeightTensor(rows: outputs, columns: inputs) { output in
            // Sixteen input rows at a time, so that every output row gets a whole cache line per pass.
            for first in stride(from: 0, to: inputs, by: 16) {
                let last = min(first + 16, inputs)
                for column in 0..<outputs {
                    for input in first..<last {
                        output[column * inputs + input] = stored.base[input * outputs + column]
                    }
                }
            }
        }
        release(info)
        return transposed
    }

    /// A small tensor copied into an array, such as a bias or a layer norm's scale.
    func floats(_ name: String, _ shape: [Int]) throws -> [Float] {
        let tensor = try tensor(name, shape, rows: 1)
        return Array(UnsafeBufferPointer(start: tensor.base, count: tensor.columns))
    }

    /// A layer norm's weight and bias under `prefix.weight` and `prefix.bias`.
    func layerNorm(_ prefix: String, size: Int) throws -> LayerNormWeights {
        LayerNormWeights(gamma: try floats(prefix + ".weight", [size]), beta: try floats(prefix + ".bias", [size]))
    }

    /// A PyTorch `Linear` layer under `prefix.weight` (`[out, in]`) and `prefix.bias`.
    func linear(_ prefix: String, inputs: Int, outputs: Int) throws -> LinearWeights {
        LinearWeights(
            weight: try tensor(prefix + ".weight", [outputs, inputs]),
            bias: try floats(prefix + ".bias", [outputs]))
    }

    /// A GPT-2 `Conv1D` layer under `prefix.weight` (`[in, out]`) and `prefix.bias`.
    func conv1DLayer(_ prefix: String, inputs: Int, outputs: Int) throws -> LinearWeights {
        LinearWeights(
            weight: try conv1D(prefix + ".weight", inputs: inputs, outputs: outputs),
            bias: try floats(prefix + ".bias", [outputs]))
    }

    /// Drops the mapped pages of rows `rows` of tensor `name` (viewed as `[shape[0], rest]`) from this process's
    /// memory, once a converted copy replaces them.
    func releasePages(_ name: String, rows: Range<Int>) {
        guard let info = file.tensors[name], let count = info.shape.first, count > 0 else { return }
        let rowBytes = info.byteRange.count / count
        release(
            info.byteRange.lowerBound + rows.lowerBound * rowBytes..<info.byteRange.lowerBound + rows.upperBound
                * rowBytes)
    }

    /// Whether the file holds a tensor named `name`.
    func contains(_ name: String) -> Bool { file.tensors[name] != nil }

    private func checkedInfo(_ name: String, _ shape: [Int]) throws -> SafeTensors.TensorInfo {
        let info: SafeTensors.TensorInfo
        do {
            info = try file.info(name)
        } catch let error as TensorError {
            throw Self.converted(error)
        }
        guard info.shape == shape else {
            throw VitGPT2Error(
                .inconsistentModel,
                "\(file.path): tensor '\(name)' has shape \(info.shape), expected \(shape)")
        }
        guard [.f32, .f16, .bf16].contains(info.type) else {
            throw VitGPT2Error(
                .malformedFile,
                "\(file.path): tensor '\(name)' has type \(info.type.rawValue); "
                    + "only F32, F16 and BF16 are supported")
        }
        return info
    }

    /// Converts the tensor's elements to `Float` into `output`, then releases the mapped pages it was read from.
    private func convert(_ info: SafeTensors.TensorInfo, into output: UnsafeMutablePointer<Float>) {
        let raw = UnsafeRawPointer(mapping.bytes.baseAddress! + dataOffset + info.byteRange.lowerBound)
        for index in 0..<info.elementCount {
            switch info.type {
            case .f16:
                let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
                output[index] = HalfPrecision.float(fromHalf: bits)
            case .bf16:
                let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
                output[index] = Float(bitPattern: UInt32(bits) << 16)
            default:
                let bits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
                output[index] = Float(bitPattern: bits)
            }
        }
        release(info)
    }

    /// Drops the mapped pages that lie wholly inside the tensor's bytes from this process's memory. The mapping
    /// is private and read-only, so the pages come back from the file if anything reads them again.
    private func release(_ info: SafeTensors.TensorInfo) {
        release(info.byteRange)
    }

    /// Drops the mapped pages that lie wholly inside `bytes` (offsets into the data section).
    private func release(_ bytes: Range<Int>) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let base = Int(bitPattern: mapping.bytes.baseAddress!)
        let start = (base + dataOffset + bytes.lowerBound + page - 1) / page * page
        let end = (base + dataOffset + bytes.upperBound) / page * page
        guard end > start, let address = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(address, end - start, Int32(MADV_DONTNEED))
    }

    static func converted(_ error: TensorError) -> VitGPT2Error {
        switch error.code {
        case .io: VitGPT2Error(.missingFile, error.message)
        case .malformedHeader, .invalidOffsets, .unsupportedType: VitGPT2Error(.malformedFile, error.message)
        case .missingTensor, .shapeMismatch: VitGPT2Error(.inconsistentModel, error.message)
        }
    }
}
