import Shared

extension ServiceError {
    /// The HTTP form of a recommender error: 400, 422 or 503 with the same code and message.
    init(_ error: RecommenderError) {
        switch error.kind {
        case .badRequest: self = .badRequest(error.code, error.message)
        case .unprocessable: self = .unprocessable(error.code, error.message)
        case .unavailable: self = .unavailable(error.code, error.message)
        }
    }

    /// The HTTP form of a model file that failed verification; the message names no path.
    init(_ error: ModelFileError) {
        self = .unprocessable("model_invalid", "the model file failed verification (\(error.code.rawValue))")
    }
}
