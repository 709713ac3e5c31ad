import Tensors
import Testing

@Suite struct PackedWeightTests {
    /// `rows x inputs` activations times an `outputs x inputs` weight, both from a fixed pattern with both signs.
    static func operands(rows: Int, outputs: Int, inputs: Int) -> (Matrix, Matrix, [Float]) {
        let a = Matrix(
            rows: rows, columns: inputs, values: (0..<rows * inputs).map { Float(($0 * 37) % 23) / 7 - 1.5 })
        let w = Matrix(
            rows: outputs, columns: inputs,
            values: (0..<outputs * inputs).map { Float(($0 * 53) % 31) / 11 - 1.3 })
        return (a, w, (0..<outputs).map { Float($0 % 7) - 3 })
    }

    /// The same product accumulated in `Double`, one output at a time.
    static func naiveLinear(_ a: Matrix, _ w: Matrix, _ bias: [Float]?) -> Matrix {
        var result = Matrix(rows: a.rows, columns: w.rows)
        for r in 0..<a.rows {
            for c in 0..<w.rows {
                var sum = Double(bias?[c] ?? 0)
                for i in 0..<a.columns { sum += Double(a[r, i]) * Double(w[c, i]) }
                result[r, c] = Float(sum)
            }
        }
        return result
    }

    // Row counts on both sides of every tile size (6 and 16) and of the OpenBLAS cut-over (64); output counts
    // that are and are not whole panels of 16.
    @Test(arguments: [(1, 40, 24), (5, 33, 17), (6, 16, 384), (14, 1152, 64), (17, 100, 50), (40, 48, 7), (70, 20, 10)])
    func everyKernelMatchesANaiveProduct(shape: (rows: Int, outputs: Int, inputs: Int)) {
        let (a, w, bias) = Self.operands(rows: shape.rows, outputs: shape.outputs, inputs: shape.inputs)
        let packed = PackedWeight(w)
        for kernel in PackedWeight.Kernel.allCases where kernel.isAvailable {
            for b in [bias, nil] {
                let expected = Self.naiveLinear(a, w, b)
                let result = a.linear(packed, bias: b, kernel: kernel)
                #expect(result.rows == expected.rows && result.columns == expected.columns)
                let worst = zip(result.values, expected.values).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
                #expect(worst < 1e-5, "\(kernel), \(shape), bias: \(b != nil)")
            }
        }
    }

    @Test func thePortableKernelIsAlwaysAvailable() {
        #expect(PackedWeight.Kernel.portable.isAvailable)
        #expect(PackedWeight.Kernel.automatic.isAvailable)
    }
}
