import Tensors

/// Reads a model's tensors from its safetensors file, checking every shape against the configuration and turning
/// the reader's errors into `VitGPT2Error`s that name the file and the tensor.
struct WeightReader {
    /// The open safetensors file.
    let file: SafeTensors

    /// A tensor that must have exactly `shape`, flattened row-major.
    func floats(_ name: String, _ shape: [Int]) throws -> [Float] {
        do {
            return try file.floats(name, shape: shape)
        } catch let error as TensorError {
            throw Self.converted(error)
        }
    }

    /// A matrix of `rows` x `columns` stored under `name` with exactly `shape` (defaults to `[rows, columns]`).
    func matrix(_ name: String, rows: Int, columns: Int, shape: [Int]? = nil) throws -> Matrix {
        Matrix(rows: rows, columns: columns, values: try floats(name, shape ?? [rows, columns]))
    }

    /// A GPT-2 `Conv1D` weight, stored `[in, out]`, returned as `[out, in]` (the layout `Matrix.linear` expects).
    func conv1D(_ name: String, inputs: Int, outputs: Int) throws -> Matrix {
        try matrix(name, rows: inputs, columns: outputs).transposed()
    }

    /// A layer norm's weight and bias under `prefix.weight` and `prefix.bias`.
    func layerNorm(_ prefix: String, size: Int) throws -> LayerNormWeights {
        LayerNormWeights(gamma: try floats(prefix + ".weight", [size]), beta: try floats(prefix + ".bias", [size]))
    }

    /// A PyTorch `Linear` layer under `prefix.weight` (`[out, in]`) and `prefix.bias`.
    func linear(_ prefix: String, inputs: Int, outputs: Int) throws -> LinearWeights {
        LinearWeights(weight: try matrix(prefix + ".weight", rows: outputs, columns: inputs),
                      bias: try floats(prefix + ".bias", [outputs]))
    }

    /// Whether the file holds a tensor named `name`.
    func contains(_ name: String) -> Bool { file.tensors[name] != nil }

    static func converted(_ error: TensorError) -> VitGPT2Error {
        switch error.code {
        case .io: VitGPT2Error(.missingFile, error.message)
        case .malformedHeader, .invalidOffsets, .unsupportedType: VitGPT2Error(.malformedFile, error.message)
        case .missingTensor, .shapeMismatch: VitGPT2Error(.inconsistentModel, error.message)
        }
    }
}

/// Up to this many input rows, products stream the weight once instead of calling the general product.
let fewRowLimit = 16

/// A layer norm's scale and shift.
struct LayerNormWeights: Sendable {
    /// Per-column scale.
    let gamma: [Float]
    /// Per-column shift.
    let beta: [Float]
}

/// A linear layer in PyTorch's `[out, in]` layout with its bias.
struct LinearWeights: Sendable {
    /// `[out, in]`.
    let weight: Matrix
    /// `[out]`.
    let bias: [Float]

    /// `input * weightᵀ + bias`; inputs of a few rows (decoder steps) take the weight-streaming kernel.
    func apply(_ input: Matrix) -> Matrix {
        input.rows <= fewRowLimit ? input.fewRowProduct(weight: weight, bias: bias)
            : input.linear(weight: weight, bias: bias)
    }
}

extension Matrix {
    /// This matrix normalised by `norm`, as a new matrix.
    func layerNormalized(_ norm: LayerNormWeights, epsilon: Float) -> Matrix {
        var copy = self
        copy.layerNormalize(gamma: norm.gamma, beta: norm.beta, epsilon: epsilon)
        return copy
    }
}
