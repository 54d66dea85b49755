"""Spanish and Portuguese for the catalogue's words that a request document prints.

The interface speaks English, French and Arabic: its catalogues translate the measure catalogue
(``cases.catalogue``: the kinds of measure, their detail fields and choices), the roles of persons, the kinds of
identifier and the stages of proceedings into those three. A request also goes out in Spanish or Portuguese,
so the words of those lists that the request document prints are written out here, keyed by their English text
(the msgid). ``term(label, lang)`` gives a label in the request's language; a word missing here falls back to the
interface catalogue (English), and ``tests/test_document.py`` checks that none is missing.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

TERMS: dict[str, dict[str, str]] = {
    "es": {
        # kinds of measure
        "Taking evidence or statements": "Obtención de pruebas o declaraciones",
        "Service of judicial documents": "Notificación de documentos judiciales",
        "Search and seizure": "Registro e incautación",
        "Freezing of assets": "Embargo preventivo (congelación) de bienes",
        "Examining objects and sites": "Examen de objetos y lugares",
        "Information, evidentiary items and expert evaluations": "Información, elementos de prueba y "
        "evaluaciones de peritos",
        "Originals or certified copies of records": "Originales o copias certificadas de documentos",
        "Bank and financial records": "Documentación bancaria y financiera",
        "Identifying or tracing proceeds, property and instrumentalities": "Identificación o localización del "
        "producto del delito, los bienes y los instrumentos",
        "Voluntary appearance of persons": "Comparecencia voluntaria de personas",
        "Temporary transfer of a detained person": "Traslado temporal de una persona detenida",
        "Hearing by video-conference": "Audiencia por videoconferencia",
        "Confiscation and recovery of assets": "Decomiso y recuperación de activos",
        "Expedited preservation of stored computer data": "Conservación rápida de datos informáticos almacenados",
        "Expedited disclosure of preserved traffic data": "Revelación rápida de datos relativos al tráfico conservados",
        "Access to stored computer data": "Acceso a datos informáticos almacenados",
        "Real-time collection of traffic data": "Obtención en tiempo real de datos relativos al tráfico",
        "Interception of content data": "Interceptación de datos relativos al contenido",
        "Domain name registration information": "Información sobre el registro de nombres de dominio",
        "Subscriber information from a service provider": "Información sobre abonados de un proveedor de servicios",
        "Emergency disclosure of computer data": "Revelación de datos informáticos en caso de emergencia",
        # details of measures
        "Person to be heard": "Persona que debe ser oída",
        "In the capacity of": "En calidad de",
        "Witness": "Testigo",
        "Suspect": "Sospechoso",
        "Victim": "Víctima",
        "Expert": "Perito",
        "Questions to ask": "Preguntas que deben formularse",
        "Under oath": "Bajo juramento",
        "Presence of our officials requested": "Se solicita la presencia de nuestros funcionarios",
        "Procedure to follow": "Procedimiento que debe seguirse",
        "Person to be served": "Persona a quien debe notificarse",
        "Address": "Dirección",
        "Documents to serve": "Documentos que deben notificarse",
        "Proof of service required": "Se requiere constancia de la notificación",
        "Premises to search": "Lugares que deben registrarse",
        "Items to seize": "Objetos que deben incautarse",
        "Grounds linking the premises to the offence": "Motivos que vinculan los lugares con el delito",
        "Assets to freeze": "Bienes que deben embargarse",
        "Holder or institution": "Titular o entidad",
        "Estimated value": "Valor estimado",
        "Domestic freezing order": "Orden de embargo nacional",
        "Object or site": "Objeto o lugar",
        "What to establish": "Qué debe establecerse",
        "Information or items sought": "Información o elementos solicitados",
        "Who holds it": "Quién los tiene en su poder",
        "Record holder": "Tenedor de los documentos",
        "Records sought": "Documentos solicitados",
        "Period from": "Período desde",
        "Period to": "Período hasta",
        "Certified copies required": "Se requieren copias certificadas",
        "Bank or financial institution": "Banco o entidad financiera",
        "Accounts (IBAN or number) and holders": "Cuentas (IBAN o número) y titulares",
        "Documents sought (statements, opening file, KYC…)": "Documentos solicitados (extractos, expediente de "
        "apertura, diligencia debida…)",
        "Proceeds or property to trace": "Producto o bienes que deben localizarse",
        "Known links to the offence": "Vínculos conocidos con el delito",
        "Person": "Persona",
        "Where and when": "Lugar y fecha",
        "Expenses covered": "Gastos cubiertos",
        "Detained person": "Persona detenida",
        "Place of detention": "Lugar de detención",
        "Purpose of the transfer": "Finalidad del traslado",
        "Person's consent obtained": "Consentimiento de la persona obtenido",
        "Proposed date": "Fecha propuesta",
        "Technical contact": "Contacto técnico",
        "Confiscation order": "Orden de decomiso",
        "Assets": "Bienes",
        "Asset sharing or return proposal": "Propuesta de reparto o restitución de los bienes",
        "Service provider": "Proveedor de servicios",
        "Accounts or identifiers": "Cuentas o identificadores",
        "Data categories": "Categorías de datos",
        "Follow-up request for the data intended": "Se prevé una solicitud posterior de entrega de los datos",
        "Data category": "Categoría de datos",
        "Subscriber information": "Información sobre abonados",
        "Traffic data": "Datos relativos al tráfico",
        "Content data": "Datos relativos al contenido",
        "Duration (days)": "Duración (días)",
        "Domestic authorisation": "Autorización nacional",
        "Domain name": "Nombre de dominio",
        "Registrar or registry": "Registrador o registro",
        "Nature of the emergency (risk to life or safety)": "Naturaleza de la emergencia (riesgo para la vida o "
        "la seguridad)",
        # persons and identifiers
        "Accused": "Acusado",
        "Convicted person": "Condenado",
        "Person sought": "Persona reclamada",
        "Account holder": "Titular de la cuenta",
        "Company involved": "Sociedad implicada",
        "Other": "Otro",
        "Passport": "Pasaporte",
        "National ID": "Documento nacional de identidad",
        "Phone": "Teléfono",
        "E-mail": "Correo electrónico",
        "IBAN": "IBAN",
        "Crypto wallet": "Monedero de criptoactivos",
        "IP address": "Dirección IP",
        "Company registration number": "Número de registro mercantil",
        # stages of proceedings
        "Investigation": "Investigación",
        "Prosecution": "Ejercicio de la acción penal",
        "Trial": "Juicio",
        "Enforcement of a judgment": "Ejecución de una sentencia",
    },
    "pt": {
        # kinds of measure
        "Taking evidence or statements": "Obtenção de provas ou depoimentos",
        "Service of judicial documents": "Notificação de atos judiciais",
        "Search and seizure": "Buscas e apreensões",
        "Freezing of assets": "Congelamento de bens",
        "Examining objects and sites": "Exame de objetos e locais",
        "Information, evidentiary items and expert evaluations": "Informações, elementos de prova e pareceres "
        "periciais",
        "Originals or certified copies of records": "Originais ou cópias autenticadas de documentos",
        "Bank and financial records": "Documentação bancária e financeira",
        "Identifying or tracing proceeds, property and instrumentalities": "Identificação ou localização de "
        "produtos do crime, bens e instrumentos",
        "Voluntary appearance of persons": "Comparência voluntária de pessoas",
        "Temporary transfer of a detained person": "Transferência temporária de uma pessoa detida",
        "Hearing by video-conference": "Audição por videoconferência",
        "Confiscation and recovery of assets": "Perda e recuperação de bens",
        "Expedited preservation of stored computer data": "Conservação expedita de dados informáticos armazenados",
        "Expedited disclosure of preserved traffic data": "Divulgação expedita de dados de tráfego conservados",
        "Access to stored computer data": "Acesso a dados informáticos armazenados",
        "Real-time collection of traffic data": "Recolha em tempo real de dados de tráfego",
        "Interception of content data": "Interceção de dados de conteúdo",
        "Domain name registration information": "Informações sobre o registo de nomes de domínio",
        "Subscriber information from a service provider": "Informações sobre assinantes de um fornecedor de serviços",
        "Emergency disclosure of computer data": "Divulgação de dados informáticos em situação de emergência",
        # details of measures
        "Person to be heard": "Pessoa a ouvir",
        "In the capacity of": "Na qualidade de",
        "Witness": "Testemunha",
        "Suspect": "Suspeito",
        "Victim": "Vítima",
        "Expert": "Perito",
        "Questions to ask": "Perguntas a formular",
        "Under oath": "Sob juramento",
        "Presence of our officials requested": "Solicita-se a presença dos nossos funcionários",
        "Procedure to follow": "Procedimento a seguir",
        "Person to be served": "Pessoa a notificar",
        "Address": "Morada",
        "Documents to serve": "Atos a notificar",
        "Proof of service required": "Exige-se prova da notificação",
        "Premises to search": "Locais a buscar",
        "Items to seize": "Objetos a apreender",
        "Grounds linking the premises to the offence": "Fundamentos que ligam os locais à infração",
        "Assets to freeze": "Bens a congelar",
        "Holder or institution": "Titular ou instituição",
        "Estimated value": "Valor estimado",
        "Domestic freezing order": "Decisão nacional de congelamento",
        "Object or site": "Objeto ou local",
        "What to establish": "O que deve ser apurado",
        "Information or items sought": "Informações ou elementos pedidos",
        "Who holds it": "Quem os detém",
        "Record holder": "Detentor dos documentos",
        "Records sought": "Documentos pedidos",
        "Period from": "Período de",
        "Period to": "Período até",
        "Certified copies required": "Exigem-se cópias autenticadas",
        "Bank or financial institution": "Banco ou instituição financeira",
        "Accounts (IBAN or number) and holders": "Contas (IBAN ou número) e titulares",
        "Documents sought (statements, opening file, KYC…)": "Documentos pedidos (extratos, processo de "
        "abertura, diligência devida…)",
        "Proceeds or property to trace": "Produtos ou bens a localizar",
        "Known links to the offence": "Ligações conhecidas à infração",
        "Person": "Pessoa",
        "Where and when": "Local e data",
        "Expenses covered": "Despesas cobertas",
        "Detained person": "Pessoa detida",
        "Place of detention": "Local de detenção",
        "Purpose of the transfer": "Finalidade da transferência",
        "Person's consent obtained": "Consentimento da pessoa obtido",
        "Proposed date": "Data proposta",
        "Technical contact": "Contacto técnico",
        "Confiscation order": "Decisão de perda",
        "Assets": "Bens",
        "Asset sharing or return proposal": "Proposta de partilha ou restituição dos bens",
        "Service provider": "Fornecedor de serviços",
        "Accounts or identifiers": "Contas ou identificadores",
        "Data categories": "Categorias de dados",
        "Follow-up request for the data intended": "Prevê-se um pedido posterior de entrega dos dados",
        "Data category": "Categoria de dados",
        "Subscriber information": "Informações sobre assinantes",
        "Traffic data": "Dados de tráfego",
        "Content data": "Dados de conteúdo",
        "Duration (days)": "Duração (dias)",
        "Domestic authorisation": "Autorização nacional",
        "Domain name": "Nome de domínio",
        "Registrar or registry": "Entidade de registo",
        "Nature of the emergency (risk to life or safety)": "Natureza da emergência (risco para a vida ou a segurança)",
        # persons and identifiers
        "Accused": "Arguido",
        "Convicted person": "Condenado",
        "Person sought": "Pessoa procurada",
        "Account holder": "Titular da conta",
        "Company involved": "Sociedade envolvida",
        "Other": "Outro",
        "Passport": "Passaporte",
        "National ID": "Documento nacional de identificação",
        "Phone": "Telefone",
        "E-mail": "Correio eletrónico",
        "IBAN": "IBAN",
        "Crypto wallet": "Carteira de criptoativos",
        "IP address": "Endereço IP",
        "Company registration number": "Número de registo comercial",
        # stages of proceedings
        "Investigation": "Inquérito",
        "Prosecution": "Acusação",
        "Trial": "Julgamento",
        "Enforcement of a judgment": "Execução de uma sentença",
    },
}


def english(label: Any) -> str:
    """The English text (msgid) of a lazily translated label."""
    with translation.override("en"):
        return str(label)


def term(label: Any, lang: str) -> str:
    """``label`` (a catalogue label, lazy) in ``lang``: from ``TERMS`` for Spanish and Portuguese, from the
    interface catalogues for the others (call it inside ``translation.override`` of the document's language)."""
    words = TERMS.get(lang)
    if words is None:
        return str(label)
    key = english(label)
    return words.get(key, key)
