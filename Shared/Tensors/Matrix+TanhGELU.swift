import Foundation

extension Matrix {
    /// Applies GPT-2's tanh approximation of GELU, `x/2 * (1 + tanh(√(2/π) * (x + 0.044715 x³)))`, to every
    /// element (PyTorch `gelu(approximate="tanh")`, transformers' `gelu_new`).
    public mutating func applyTanhGELU() {
        let root2OverPi: Float = 0.7978845608028654
        values.withUnsafeMutableBufferPointer { x in
            for i in 0..<x.count {
                let v = x[i]
                x[i] = 0.5 * v * (1 + tanh(root2OverPi * (v + 0.044715 * v * v * v)))
            }
        }
    }
}
