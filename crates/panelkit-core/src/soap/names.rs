//! Namespace URIs the codec recognizes. Prefixes are whatever a server chose;
//! only these URIs count.

/// SOAP 1.1 envelope.
pub const SOAP11_ENV: &[u8] = b"http://schemas.xmlsoap.org/soap/envelope/";
/// SOAP 1.2 envelope (faults from SOAP 1.2 servers are still understood).
pub const SOAP12_ENV: &[u8] = b"http://www.w3.org/2003/05/soap-envelope";
/// SOAP 1.1 encoding (`SOAP-ENC:Array`, `SOAP-ENC:Struct`).
pub const SOAP_ENC: &[u8] = b"http://schemas.xmlsoap.org/soap/encoding/";
/// XML Schema datatypes (`xsd:int`, `xsd:string`, ...).
pub const XSD: &[u8] = b"http://www.w3.org/2001/XMLSchema";
/// XML Schema instance (`xsi:type`, `xsi:nil`).
pub const XSI: &[u8] = b"http://www.w3.org/2001/XMLSchema-instance";
/// Apache SOAP map (`ns2:Map`), PHP's encoding of associative arrays.
pub const APACHE_SOAP: &[u8] = b"http://xml.apache.org/xml-soap";

/// The SOAP 1.1 envelope namespace as text.
pub const SOAP11_ENV_STR: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// The SOAP 1.1 encoding namespace as text.
pub const SOAP_ENC_STR: &str = "http://schemas.xmlsoap.org/soap/encoding/";
/// The XML Schema namespace as text.
pub const XSD_STR: &str = "http://www.w3.org/2001/XMLSchema";
/// The XML Schema instance namespace as text.
pub const XSI_STR: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// The Apache SOAP namespace as text.
pub const APACHE_SOAP_STR: &str = "http://xml.apache.org/xml-soap";
