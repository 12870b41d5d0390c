package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"ketnap/internal/apperr"
)

// Codes of the errors gqlgen and gqlparser raise before any resolver runs.
const (
	CodeParseFailed       apperr.Code = "GRAPHQL_PARSE_FAILED"
	CodeValidationFailed  apperr.Code = "GRAPHQL_VALIDATION_FAILED"
	CodeOperationNotFound apperr.Code = "OPERATION_NOT_FOUND"
	CodeAPQNotFound       apperr.Code = "PERSISTED_QUERY_NOT_FOUND"
	CodeAPQMismatch       apperr.Code = "PERSISTED_QUERY_MISMATCH"
	CodeMethodNotAllowed  apperr.Code = "METHOD_NOT_ALLOWED"
	CodeUnsupportedMedia  apperr.Code = "UNSUPPORTED_MEDIA_TYPE"
)

var (
	multipartKey = regexp.MustCompile(` for key .*$`)
	operationMsg = regexp.MustCompile(`^operation (.*) not found$`)
)

// protocolError gives the coded, bilingual error of one of gqlgen's own
// messages (transports, executor, persisted queries), or false. The English
// message stays gqlgen's where it says more than ours.
func protocolError(msg string) (*apperr.Error, bool) {
	if ae, ok := transportError(msg); ok {
		return ae, true
	}
	switch {
	case msg == "PersistedQueryNotFound":
		// Apollo and Relay clients look for this exact code.
		return apperr.New(CodeAPQNotFound, "extensions.persistedQuery",
			"không có truy vấn lưu sẵn với mã băm này, hãy gửi kèm truy vấn", "PersistedQueryNotFound"), true
	case msg == "provided APQ hash does not match query":
		return apperr.New(CodeAPQMismatch, "extensions.persistedQuery",
			"mã băm sha256Hash không khớp với truy vấn", "the sha256Hash does not match the query"), true
	case msg == "invalid APQ extension data", msg == "unsupported APQ version":
		return apperr.New(CodeBadRequest, "extensions.persistedQuery",
			"phần mở rộng persistedQuery không hợp lệ (chỉ hỗ trợ phiên bản 1)",
			"invalid persistedQuery extension (only version 1 is supported)"), true
	case msg == "no operation provided":
		return apperr.New(CodeBadRequest, "query", "yêu cầu không có truy vấn GraphQL", "no operation provided"), true
	case msg == "must provide operation name if query contains multiple operations":
		return apperr.New(CodeOperationNotFound, "operationName",
			"truy vấn có nhiều thao tác: hãy chỉ rõ operationName",
			"the document has several operations: name one with operationName"), true
	case operationMsg.MatchString(msg):
		name := operationMsg.FindStringSubmatch(msg)[1]
		if strings.TrimSpace(name) == "" {
			return apperr.New(CodeOperationNotFound, "operationName",
				"truy vấn có nhiều thao tác: hãy chỉ rõ operationName",
				"the document has several operations: name one with operationName"), true
		}
		return apperr.New(CodeOperationNotFound, "operationName",
			"không có thao tác nào tên "+strconv.Quote(name)+" trong truy vấn",
			"no operation named "+strconv.Quote(name)+" in the document"), true
	case msg == "GET requests only allow query operations":
		return apperr.New(CodeMethodNotAllowed, "",
			"yêu cầu GET chỉ được đọc; hãy gửi thao tác thay đổi (mutation) bằng POST",
			"GET requests may only run queries: send mutations with POST"), true
	case msg == "transport not supported":
		return apperr.New(CodeUnsupportedMedia, "Content-Type",
			"kiểu nội dung không được hỗ trợ: hãy dùng application/json (hoặc multipart/form-data để tải tệp)",
			"unsupported content type: use application/json (or multipart/form-data for uploads)"), true
	case msg == "variables could not be decoded", msg == "extensions could not be decoded":
		field := strings.Fields(msg)[0]
		return apperr.New(CodeBadRequest, field, field+" không phải JSON hợp lệ", field+" is not valid JSON"), true
	case strings.HasPrefix(msg, "first operations must be a map"),
		strings.HasPrefix(msg, "failed to parse part"),
		strings.HasPrefix(msg, "invalid empty operations paths list"),
		strings.HasPrefix(msg, "failed to get key"),
		strings.HasPrefix(msg, "failed to read file"),
		strings.HasPrefix(msg, "operations form field could not be decoded"),
		strings.HasPrefix(msg, "map form field could not be decoded"),
		strings.HasPrefix(msg, "failed to parse multipart form"),
		strings.HasPrefix(msg, "invalid operations paths"),
		strings.HasPrefix(msg, "invalid value for key"),
		strings.HasPrefix(msg, "failed to create temp file"),
		strings.HasPrefix(msg, "failed to copy to temp file"),
		strings.HasPrefix(msg, "failed to close temp file"),
		strings.HasPrefix(msg, "failed to open temp file"):
		return apperr.New(CodeBadRequest, "body",
			"yêu cầu tải tệp (multipart) không đúng đặc tả GraphQL multipart request",
			"malformed multipart upload ("+multipartKey.ReplaceAllString(msg, "")+")"), true
	}
	return nil, false
}

// parseOrValidation codes gqlparser's own errors, which name the query's
// fields and types but never the caller's data beyond literals they wrote.
func parseOrValidation(e *gqlerror.Error) *apperr.Error {
	code, _ := e.Extensions["code"].(string)
	switch apperr.Code(code) {
	case CodeParseFailed:
		return apperr.New(CodeParseFailed, "", "truy vấn sai cú pháp GraphQL: "+e.Message, e.Message)
	case CodeValidationFailed:
		return apperr.New(CodeValidationFailed, "", "truy vấn không hợp lệ với lược đồ: "+e.Message, e.Message)
	}
	if ae, ok := protocolError(e.Message); ok {
		return ae
	}
	if strings.HasPrefix(e.Message, "Could not resolve to a node") {
		return apperr.New(apperr.CodeNotFound, "id", "không tìm thấy bản ghi", "record not found")
	}
	if code != "" {
		// gqlgen's own codes (COMPLEXITY_LIMIT_EXCEEDED, …) stay.
		return apperr.New(apperr.Code(code), "", "truy vấn bị từ chối: "+e.Message, e.Message)
	}
	return apperr.New(CodeValidationFailed, "", "truy vấn không hợp lệ: "+e.Message, e.Message)
}

// coded puts an apperr.Error into a gqlerror, keeping its locations.
func coded(e *gqlerror.Error, ae *apperr.Error) *gqlerror.Error {
	out := *e
	out.Message = ae.Error()
	ext := map[string]any{}
	for k, v := range e.Extensions {
		ext[k] = v
	}
	ext["code"], ext["vi"], ext["en"] = string(ae.Code), ae.VI, ae.EN
	if ae.Field != "" {
		ext["field"] = ae.Field
	}
	out.Extensions = ext
	return &out
}

// codedTransportErrors rewrites the error bodies gqlgen's transports write
// themselves, past the error presenter (an unsupported content type, a
// mutation over GET, a malformed multipart request): each error gets its
// code and both messages. Only short error answers (status 400 and up) are
// buffered; everything else streams through.
func codedTransportErrors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw := &errorRewriter{ResponseWriter: w}
		next.ServeHTTP(rw, r)
		rw.finish()
	})
}

// errorRewriter buffers an error answer to recode it.
type errorRewriter struct {
	http.ResponseWriter
	status int
	buf    *bytes.Buffer
}

const maxRewrittenError = 64 << 10

func (e *errorRewriter) WriteHeader(status int) {
	if e.status != 0 {
		return
	}
	e.status = status
	if status >= 400 {
		e.buf = &bytes.Buffer{}
		return
	}
	e.ResponseWriter.WriteHeader(status)
}

func (e *errorRewriter) Write(p []byte) (int, error) {
	if e.status == 0 {
		e.WriteHeader(http.StatusOK)
	}
	if e.buf == nil {
		return e.ResponseWriter.Write(p)
	}
	if e.buf.Len()+len(p) > maxRewrittenError {
		e.flush(false)
		return e.ResponseWriter.Write(p)
	}
	return e.buf.Write(p)
}

// Flush implements http.Flusher for streaming transports.
func (e *errorRewriter) Flush() {
	if e.buf != nil {
		e.flush(false)
	}
	if f, ok := e.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (e *errorRewriter) Unwrap() http.ResponseWriter { return e.ResponseWriter }

// flush writes the buffered answer, recoded when rewrite is set.
func (e *errorRewriter) flush(rewrite bool) {
	body := e.buf.Bytes()
	e.buf = nil
	if rewrite {
		body = recode(body)
		e.Header().Del("Content-Length")
	}
	e.ResponseWriter.WriteHeader(e.status)
	_, _ = e.ResponseWriter.Write(body)
}

// finish ends a buffered answer.
func (e *errorRewriter) finish() {
	if e.buf != nil {
		e.flush(true)
	}
}

// recode gives every uncoded error of a GraphQL answer its code.
func recode(body []byte) []byte {
	var resp map[string]any
	if err := json.Unmarshal(body, &resp); err != nil {
		return body
	}
	errs, _ := resp["errors"].([]any)
	changed := false
	for i, raw := range errs {
		m, ok := raw.(map[string]any)
		if !ok {
			continue
		}
		ext, _ := m["extensions"].(map[string]any)
		if _, has := ext["vi"]; has {
			continue
		}
		msg, _ := m["message"].(string)
		ae, ok := protocolError(msg)
		if !ok {
			ae = apperr.New(CodeBadRequest, "", "yêu cầu không hợp lệ: "+msg, msg)
		}
		if ext == nil {
			ext = map[string]any{}
		}
		ext["code"], ext["vi"], ext["en"] = string(ae.Code), ae.VI, ae.EN
		if ae.Field != "" {
			ext["field"] = ae.Field
		}
		m["message"], m["extensions"] = ae.Error(), ext
		errs[i] = m
		changed = true
	}
	if !changed {
		return body
	}
	out, err := json.Marshal(resp)
	if err != nil {
		return body
	}
	return out
}
