import Tensors
import Testing

/// Layer norm, GELU, softmax, linear layers and attention against PyTorch's outputs for the same inputs.
@Suite struct TensorsMathTests {
    struct Reference: Decodable {
        let x, gamma, beta, weight, bias, linear: [Float]
        let layerNormTiny, layerNormDefault: [Float]
        let geluIn, gelu, softmaxIn, softmax: [Float]
        let q, k, v, keyMask, attention, attentionKeyMask, attentionCausal: [Float]

        enum CodingKeys: String, CodingKey {
            case x, gamma, beta, weight, bias, linear, gelu, softmax, q, k, v, attention
            case layerNormTiny = "layer_norm_1e-12", layerNormDefault = "layer_norm_1e-5"
            case geluIn = "gelu_in", softmaxIn = "softmax_in", keyMask = "key_mask"
            case attentionKeyMask = "attention_key_mask", attentionCausal = "attention_causal"
        }
    }

    let reference: Reference
    var x: Matrix { Matrix(rows: 5, columns: 8, values: reference.x) }

    init() throws {
        reference = try Fixtures.json("Tensors", "reference.json", as: Reference.self)
    }

    @Test func layerNormMatchesPyTorchForBothEpsilons() {
        var tiny = x
        tiny.layerNormalize(gamma: reference.gamma, beta: reference.beta, epsilon: 1e-12)
        #expect(maximumDifference(tiny.values, reference.layerNormTiny) < 1e-5)
        var standard = x
        standard.layerNormalize(gamma: reference.gamma, beta: reference.beta, epsilon: 1e-5)
        #expect(maximumDifference(standard.values, reference.layerNormDefault) < 1e-5)
    }

    @Test func linearWithTransposedWeightMatchesPyTorch() {
        let weight = Matrix(rows: 3, columns: 8, values: reference.weight)
        #expect(maximumDifference(x.linear(weight: weight, bias: reference.bias).values, reference.linear) < 1e-4)

        var viaProduct = x.multiplied(by: weight.transposed())
        viaProduct.addBias(reference.bias)
        #expect(maximumDifference(viaProduct.values, reference.linear) < 1e-4)
        var viaTransposed = x.multiplied(byTransposed: weight)
        viaTransposed.addBias(reference.bias)
        #expect(maximumDifference(viaTransposed.values, reference.linear) < 1e-4)
    }

    @Test func productsMatchANaiveLoop() {
        let a = Matrix(rows: 3, columns: 2, values: [1, 2, 3, 4, 5, 6])
        let b = Matrix(rows: 2, columns: 4, values: [1, 0, -1, 2, 0.5, 1, 3, -2])
        let product = a.multiplied(by: b)
        #expect(product.rows == 3 && product.columns == 4)
        for r in 0..<3 {
            for c in 0..<4 {
                #expect(product[r, c] == a[r, 0] * b[0, c] + a[r, 1] * b[1, c])
            }
        }
    }

    @Test func blockedSmallProductsMatchOneLargeProduct() {
        // 3 x 1000 outputs exceed the small-kernel size, so the product runs in column blocks on two threads.
        let a = Matrix(rows: 3, columns: 64, values: (0..<192).map { Float(($0 * 37) % 23) / 7 - 1.5 })
        let w = Matrix(rows: 1000, columns: 64, values: (0..<64_000).map { Float(($0 * 53) % 31) / 11 - 1.3 })
        let bias = (0..<1000).map { Float($0 % 7) }
        let saved = BLAS.threadCount
        BLAS.threadCount = 2
        defer { BLAS.threadCount = saved }

        let blocked = a.linear(weight: w, bias: bias)
        let expected = a.multiplied(by: w.transposed())
        for r in 0..<3 {
            for c in 0..<1000 {
                #expect(abs(blocked[r, c] - expected[r, c] - bias[c]) < 1e-3 * max(1, abs(expected[r, c])))
            }
        }
    }

    @Test func exactGELUMatchesPyTorchAndDiffersFromTheTanhForm() {
        var values = Matrix(row: reference.geluIn)
        values.applyGELU()
        #expect(maximumDifference(values.values, reference.gelu) < 1e-6)

        var one = Matrix(row: [1])
        one.applyGELU()
        #expect(abs(one.values[0] - 0.841_344_7) < 1e-7)  // tanh approximation gives 0.8411920
    }

    @Test func softmaxIsStableForLargeInputsAndZeroForMaskedRows() {
        var values = Matrix(rows: 2, columns: 3, values: reference.softmaxIn)
        values.applySoftmaxToRows()
        #expect(maximumDifference(values.values, reference.softmax) < 1e-6)

        var masked = Matrix(row: [-.infinity, -.infinity])
        masked.applySoftmaxToRows()
        #expect(masked.values == [0, 0])
    }

    @Test func attentionMatchesPyTorchWithEachMask() {
        let q = Matrix(rows: 3, columns: 8, values: reference.q)
        let k = Matrix(rows: 4, columns: 8, values: reference.k)
        let v = Matrix(rows: 4, columns: 8, values: reference.v)
        let plain = Attention.scaledDotProduct(query: q, key: k, value: v, heads: 2)
        #expect(maximumDifference(plain.values, reference.attention) < 1e-5)
        let keyMasked = Attention.scaledDotProduct(query: q, key: k, value: v, heads: 2, mask: .keys(reference.keyMask))
        #expect(maximumDifference(keyMasked.values, reference.attentionKeyMask) < 1e-5)
        let causal = Attention.scaledDotProduct(query: q, key: k, value: v, heads: 2, mask: .causal)
        #expect(maximumDifference(causal.values, reference.attentionCausal) < 1e-5)

        var full = Matrix(rows: 3, columns: 4)
        for r in 0..<3 { full[r, 2] = -1e9 }
        let fullMasked = Attention.scaledDotProduct(query: q, key: k, value: v, heads: 2, mask: .full(full))
        #expect(maximumDifference(fullMasked.values, reference.attentionKeyMask) < 1e-5)
    }
}
