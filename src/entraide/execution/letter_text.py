"""The fixed text of the letters to the requesting State in Spanish and Portuguese.

The interface speaks French, English and Arabic, whose catalogues (``locale/``) give the letters' sentences in those
languages; letters also go to Central Authorities that work in Spanish or Portuguese, whose sentences are written
here, keyed by the English text of ``execution/letters.py`` (its ``_("…")``), with the labels the letters quote
(measures and their status, the checklist's requirements and grounds) keyed by their code. A sentence missing here
would come out in English: ``tests/test_letters.py`` builds every kind of letter in both languages and fails on any.
Portuguese is European Portuguese, the language of Portugal and of the Lusophone African States' Central
Authorities; the request itself is written "seu pedido…" so that each sentence contracts it ("do", "ao").
"""

from __future__ import annotations

ES: dict[str, str] = {
    "Central Authority": "Autoridad Central",
    "Central Authority of {country}": "Autoridad Central de {country}",
    "for the Central Authority": "por la Autoridad Central",
    "your request for mutual legal assistance concerning “{title}”": (
        "su solicitud de asistencia judicial recíproca relativa a «{title}»"
    ),
    "Acknowledgement of receipt of your request for mutual legal assistance": (
        "Acuse de recibo de su solicitud de asistencia judicial recíproca"
    ),
    "We acknowledge receipt on {date} of {about}. It has been registered under our reference {reference} and is "
    "being examined.": (
        "Acusamos recibo, el {date}, de {about}. Ha sido registrada con nuestra referencia {reference} y está siendo "
        "examinada."
    ),
    "We will inform you of the outcome of the examination and of the progress of the execution. Please quote our "
    "reference in any correspondence.": (
        "Les informaremos del resultado del examen y del avance de la ejecución. Les rogamos que indiquen nuestra "
        "referencia en toda correspondencia."
    ),
    "Contact: {name}{details}.": "Persona de contacto: {name}{details}.",
    "Your request for mutual legal assistance: state of execution": (
        "Su solicitud de asistencia judicial recíproca: estado de ejecución"
    ),
    "We inform you of the state of execution of {about} on {date}.": (
        "Les informamos del estado de ejecución de {about} a fecha de {date}."
    ),
    "Measure": "Medida",
    "Status": "Estado",
    "Expected by": "Fecha prevista",
    "On hold (postponed)": "En suspenso (aplazamiento)",
    "We will send you the results as soon as they are available.": (
        "Les remitiremos los resultados en cuanto estén disponibles."
    ),
    "Your request for mutual legal assistance: accepted": "Su solicitud de asistencia judicial recíproca: aceptada",
    "We inform you that {about} has been accepted. It is being transmitted to the competent national authorities for "
    "execution, and we will keep you informed of its progress.": (
        "Les informamos de que {about} ha sido aceptada. Se está transmitiendo a las autoridades nacionales "
        "competentes para su ejecución, y les mantendremos informados de su avance."
    ),
    "Your request for mutual legal assistance: accepted in part": (
        "Su solicitud de asistencia judicial recíproca: aceptada parcialmente"
    ),
    "We inform you that {about} has been accepted in part. The following measures cannot be executed:": (
        "Les informamos de que {about} ha sido aceptada parcialmente. Las siguientes medidas no pueden ejecutarse:"
    ),
    "Reasons": "Motivos",
    "The other measures are being transmitted for execution.": (
        "Las demás medidas se están transmitiendo para su ejecución."
    ),
    "Your request for mutual legal assistance: supplementary information needed": (
        "Su solicitud de asistencia judicial recíproca: se necesita información complementaria"
    ),
    "Having examined {about}, we need the following supplementary information to execute it:": (
        "Tras examinar {about}, necesitamos la siguiente información complementaria para ejecutarla:"
    ),
    "The examination of your request is suspended until we receive this information. Thank you for sending it as "
    "soon as possible.": (
        "El examen de su solicitud queda suspendido hasta que recibamos esta información. Les agradeceríamos que la "
        "remitieran a la mayor brevedad."
    ),
    "Your request for mutual legal assistance: execution postponed": (
        "Su solicitud de asistencia judicial recíproca: ejecución aplazada"
    ),
    "After consulting you, we inform you that the execution of {about} is postponed because it would interfere with "
    "an ongoing investigation, prosecution or judicial proceeding (UNTOC art. 18(25)).": (
        "Tras haberles consultado, les informamos de que la ejecución de {about} queda aplazada porque perturbaría una "
        "investigación, un proceso o una actuación judicial en curso (UNTOC, art. 18, párr. 25)."
    ),
    "Your request for mutual legal assistance: refused": "Su solicitud de asistencia judicial recíproca: denegada",
    "After consulting you, we regret to inform you that {about} cannot be granted, for the following reasons (UNTOC "
    "art. 18(23)):": (
        "Tras haberles consultado, lamentamos informarles de que no es posible dar curso a {about}, por los motivos "
        "siguientes (UNTOC, art. 18, párr. 23):"
    ),
    "Execution of your request for mutual legal assistance: partial return {number}": (
        "Ejecución de su solicitud de asistencia judicial recíproca: remisión parcial n.º {number}"
    ),
    "Execution of your request for mutual legal assistance: return {number}": (
        "Ejecución de su solicitud de asistencia judicial recíproca: remisión n.º {number}"
    ),
    "Please find enclosed, as a partial return, the following results of the execution of {about}:": (
        "Les remitimos adjuntos, como remisión parcial, los siguientes resultados de la ejecución de {about}:"
    ),
    "Please find enclosed the following results of the execution of {about}:": (
        "Les remitimos adjuntos los siguientes resultados de la ejecución de {about}:"
    ),
    "Item": "Elemento",
    "Seal number or SHA-256 fingerprint": "Número de precinto o huella SHA-256",
    "This evidence may not be used for proceedings other than those stated in the request without our prior consent "
    "(UNTOC art. 18(19)). Please acknowledge receipt.": (
        "Estas pruebas no podrán utilizarse en procedimientos distintos de los indicados en la solicitud sin nuestro "
        "consentimiento previo (UNTOC, art. 18, párr. 19). Les rogamos que acusen recibo."
    ),
    "Further results will follow as the execution proceeds.": (
        "Se remitirán otros resultados a medida que avance la ejecución."
    ),
}

PT: dict[str, str] = {
    "Central Authority": "Autoridade Central",
    "Central Authority of {country}": "Autoridade Central de {country}",
    "for the Central Authority": "pela Autoridade Central",
    "your request for mutual legal assistance concerning “{title}”": (
        "seu pedido de auxílio judiciário mútuo relativo a «{title}»"
    ),
    "Acknowledgement of receipt of your request for mutual legal assistance": (
        "Aviso de receção do seu pedido de auxílio judiciário mútuo"
    ),
    "We acknowledge receipt on {date} of {about}. It has been registered under our reference {reference} and is "
    "being examined.": (
        "Acusamos a receção, em {date}, do {about}. O pedido foi registado com a nossa referência {reference} e está a "
        "ser analisado."
    ),
    "We will inform you of the outcome of the examination and of the progress of the execution. Please quote our "
    "reference in any correspondence.": (
        "Informaremos V. Exas. do resultado da análise e do andamento da execução. Solicitamos que indiquem a nossa "
        "referência em toda a correspondência."
    ),
    "Contact: {name}{details}.": "Contacto: {name}{details}.",
    "Your request for mutual legal assistance: state of execution": (
        "O seu pedido de auxílio judiciário mútuo: ponto de situação da execução"
    ),
    "We inform you of the state of execution of {about} on {date}.": (
        "Informamos V. Exas. do ponto de situação da execução do {about} em {date}."
    ),
    "Measure": "Medida",
    "Status": "Situação",
    "Expected by": "Data prevista",
    "On hold (postponed)": "Suspensa (adiamento)",
    "We will send you the results as soon as they are available.": (
        "Enviaremos os resultados logo que estejam disponíveis."
    ),
    "Your request for mutual legal assistance: accepted": "O seu pedido de auxílio judiciário mútuo: aceite",
    "We inform you that {about} has been accepted. It is being transmitted to the competent national authorities for "
    "execution, and we will keep you informed of its progress.": (
        "Informamos V. Exas. de que o {about} foi aceite. Está a ser transmitido às autoridades nacionais competentes "
        "para execução, e manteremos V. Exas. informados do seu andamento."
    ),
    "Your request for mutual legal assistance: accepted in part": (
        "O seu pedido de auxílio judiciário mútuo: aceite parcialmente"
    ),
    "We inform you that {about} has been accepted in part. The following measures cannot be executed:": (
        "Informamos V. Exas. de que o {about} foi aceite parcialmente. As seguintes medidas não podem ser executadas:"
    ),
    "Reasons": "Fundamentos",
    "The other measures are being transmitted for execution.": (
        "As restantes medidas estão a ser transmitidas para execução."
    ),
    "Your request for mutual legal assistance: supplementary information needed": (
        "O seu pedido de auxílio judiciário mútuo: informações complementares necessárias"
    ),
    "Having examined {about}, we need the following supplementary information to execute it:": (
        "Após a análise do {about}, necessitamos das seguintes informações complementares para o executar:"
    ),
    "The examination of your request is suspended until we receive this information. Thank you for sending it as "
    "soon as possible.": (
        "A análise do seu pedido fica suspensa até à receção destas informações. Agradecemos que as enviem com a maior "
        "brevidade possível."
    ),
    "Your request for mutual legal assistance: execution postponed": (
        "O seu pedido de auxílio judiciário mútuo: execução adiada"
    ),
    "After consulting you, we inform you that the execution of {about} is postponed because it would interfere with "
    "an ongoing investigation, prosecution or judicial proceeding (UNTOC art. 18(25)).": (
        "Após consulta a V. Exas., informamos de que a execução do {about} é adiada por interferir com uma "
        "investigação, um procedimento criminal ou um processo judicial em curso (UNTOC, artigo 18.º, n.º 25)."
    ),
    "Your request for mutual legal assistance: refused": "O seu pedido de auxílio judiciário mútuo: recusado",
    "After consulting you, we regret to inform you that {about} cannot be granted, for the following reasons (UNTOC "
    "art. 18(23)):": (
        "Após consulta a V. Exas., lamentamos informar de que não é possível dar seguimento ao {about}, pelos "
        "seguintes fundamentos (UNTOC, artigo 18.º, n.º 23):"
    ),
    "Execution of your request for mutual legal assistance: partial return {number}": (
        "Execução do seu pedido de auxílio judiciário mútuo: remessa parcial n.º {number}"
    ),
    "Execution of your request for mutual legal assistance: return {number}": (
        "Execução do seu pedido de auxílio judiciário mútuo: remessa n.º {number}"
    ),
    "Please find enclosed, as a partial return, the following results of the execution of {about}:": (
        "Junto remetemos, a título de remessa parcial, os seguintes resultados da execução do {about}:"
    ),
    "Please find enclosed the following results of the execution of {about}:": (
        "Junto remetemos os seguintes resultados da execução do {about}:"
    ),
    "Item": "Elemento",
    "Seal number or SHA-256 fingerprint": "Número de selo ou impressão digital SHA-256",
    "This evidence may not be used for proceedings other than those stated in the request without our prior consent "
    "(UNTOC art. 18(19)). Please acknowledge receipt.": (
        "Estas provas não podem ser utilizadas em processos diferentes dos indicados no pedido sem o nosso "
        "consentimento prévio (UNTOC, artigo 18.º, n.º 19). Solicitamos que acusem a receção."
    ),
    "Further results will follow as the execution proceeds.": (
        "Serão enviados outros resultados à medida que a execução prosseguir."
    ),
}

TEXTS: dict[str, dict[str, str]] = {"es": ES, "pt": PT}

# Labels the letters quote, by code: the status of measures (cases.choices.MeasureStatus; the kinds of measure
# are named by ``letters.lexicon``, as in request documents), the checklist's items (execution.checklist) and the
# confidentiality banner.
MEASURE_STATUSES: dict[str, dict[str, str]] = {
    "es": {
        "requested": "Solicitada",
        "in_progress": "En curso",
        "executed": "Ejecutada",
        "partially_executed": "Ejecutada parcialmente",
        "refused": "Denegada",
        "withdrawn": "Retirada",
    },
    "pt": {
        "requested": "Solicitada",
        "in_progress": "Em curso",
        "executed": "Executada",
        "partially_executed": "Executada parcialmente",
        "refused": "Recusada",
        "withdrawn": "Retirada",
    },
}
CHECKLIST: dict[str, dict[str, str]] = {
    "es": {
        "authority": "Se identifica a la autoridad que formula la solicitud",
        "subject_matter": (
            "El objeto y la índole de la investigación, el proceso o las actuaciones, y la autoridad encargada de ellos"
        ),
        "facts": "Un resumen de los hechos (salvo para la notificación de documentos judiciales)",
        "assistance": "La asistencia solicitada y cualquier procedimiento particular que deba aplicarse",
        "persons": "De ser posible, la identidad, ubicación y nacionalidad de toda persona interesada",
        "purpose": "La finalidad de las pruebas, la información o las actuaciones solicitadas",
        "language": "Por escrito, en un idioma aceptable para este Estado",
        "conformity": "La solicitud no se ha presentado conforme a lo dispuesto en el tratado",
        "essential_interests": (
            "El cumplimiento de lo solicitado podría menoscabar la soberanía, la seguridad, el orden público u otros "
            "intereses fundamentales"
        ),
        "domestic_prohibition": (
            "El derecho interno prohibiría la actuación solicitada respecto de un delito análogo sometido a nuestra "
            "propia jurisdicción"
        ),
        "legal_system": "Acceder a la solicitud sería contrario a nuestro ordenamiento jurídico",
        "dual_criminality": "Los hechos no constituyen delito con arreglo a nuestro derecho",
        "bank_secrecy": "Se invoca el secreto bancario",
        "fiscal": "Se considera que el delito entraña cuestiones tributarias",
    },
    "pt": {
        "authority": "A autoridade que formula o pedido está identificada",
        "subject_matter": (
            "O objeto e a natureza do inquérito, do procedimento ou do processo, e a autoridade que os conduz"
        ),
        "facts": "Um resumo dos factos (salvo para a notificação de documentos judiciais)",
        "assistance": "O auxílio solicitado e qualquer procedimento específico a seguir",
        "persons": "Se possível, a identidade, a localização e a nacionalidade de qualquer pessoa em causa",
        "purpose": "A finalidade das provas, das informações ou das diligências solicitadas",
        "language": "Por escrito, numa língua aceite por este Estado",
        "conformity": "O pedido não foi formulado em conformidade com o tratado",
        "essential_interests": (
            "A execução poderia prejudicar a soberania, a segurança, a ordem pública ou outros interesses essenciais"
        ),
        "domestic_prohibition": (
            "O direito interno proibiria a diligência solicitada relativamente a uma infração semelhante sujeita à "
            "nossa jurisdição"
        ),
        "legal_system": "Deferir o pedido seria contrário ao nosso ordenamento jurídico",
        "dual_criminality": "Os factos não constituem infração segundo o nosso direito",
        "bank_secrecy": "É invocado o sigilo bancário",
        "fiscal": "Considera-se que a infração envolve questões fiscais",
    },
}
CONFIDENTIALITY: dict[str, dict[int, str]] = {
    "es": {1: "DIFUSIÓN RESTRINGIDA", 2: "CONFIDENCIAL", 3: "SECRETO"},
    "pt": {1: "DIFUSÃO RESTRITA", 2: "CONFIDENCIAL", 3: "SECRETO"},
}
